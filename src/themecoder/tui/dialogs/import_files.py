"""Import transcripts from the TUI: a path (file, folder or glob) and an optional participant;
the import runs in a worker thread with a progress bar."""
from __future__ import annotations

import glob
from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label


def expand(spec: str) -> tuple[list[Path], list[tuple[Path, str]]]:
    """The files to import and what a folder held that is left out (with why): the same rules
    as `themecoder import` (io.batch.expand_paths); a pattern takes the supported files."""
    from themecoder.errors import UserError
    from themecoder.io.batch import IMPORT_SUFFIXES, expand_paths

    path = Path(spec).expanduser()
    if any(ch in spec for ch in "*?[") and not path.exists():
        return sorted(Path(p) for p in glob.glob(str(path)) if Path(p).suffix.lower() in IMPORT_SUFFIXES), []
    try:
        found = expand_paths([path])
    except UserError:
        return [], []
    return found.files, found.skipped


class ImportScreen(ModalScreen[tuple[list[Path], str | None, list[tuple[Path, str]]] | None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", show=True)]

    def compose(self) -> ComposeResult:
        with Vertical(id="import-dialog", classes="dialog"):
            yield Label("Import transcripts", classes="dialog-title")
            yield Label("File, folder or pattern (e.g. intervjuer/*.docx):")
            yield Input(id="import-path", placeholder="path")
            yield Label("Participant pseudonym (optional; default: from the speaker label):")
            yield Input(id="import-participant", placeholder="pseudonym")
            yield Label("Enter imports · escape cancels", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#import-path", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        spec = self.query_one("#import-path", Input).value.strip()
        if not spec:
            self.notify("Give a file, a folder or a pattern.", severity="warning")
            return
        paths, skipped = expand(spec)
        if not paths:
            self.notify(f"No transcripts found at {spec}.", severity="warning")
            return
        participant = self.query_one("#import-participant", Input).value.strip() or None
        self.dismiss((paths, participant, skipped))

    def action_cancel(self) -> None:
        self.dismiss(None)


def run_import(app, paths: list[Path], participant: str | None,
               skipped: list[tuple[Path, str]] | None = None) -> None:
    from themecoder.io.batch import import_files

    def job(progress):
        # Readable at once; the search index follows in the indexing worker (see done).
        return import_files(app.project, paths, participant=participant, index=False,
                            progress=lambda i, n, _name="": progress(i, n))

    def done(results) -> None:
        ok = [r for r in results if r.ok]
        failed = [r for r in results if not r.ok]
        app.data_changed()
        msg = f"{len(ok)} of {len(results)} files imported."
        if failed:
            msg += " " + "; ".join(f"{Path(r.path).name}: {r.message}" for r in failed[:3])
        if skipped:
            msg += f" Skipped {len(skipped)}: " + "; ".join(f"{p.name} ({why})" for p, why in skipped[:3])
        app.notify(msg, severity="warning" if failed else "information", timeout=8)
        if ok:
            app.ensure_index()

    app.run_in_thread(job, f"importing {len(paths)} file(s)", done=done)
