"""ImportReview: merge the supervisor's review file (NAME.review.json, from the review pack's
"Save review" or `review export`) into the project, from the Review screen (key i).

The merge is the one `themecoder review import PROJECT FILE` runs
(core.review_exchange.import_review): one undoable action, review rows only, nothing the
student did meanwhile is lost, reviewed items that no longer exist are kept as orphans and
reported. A file it refuses (not a review file, a review of another project, unreadable)
gives one line, changes nothing, and the dialog stays open for another path.
"""
from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from themecoder.core.review_exchange import ImportReport, import_review
from themecoder.errors import UserError

PATTERN = "*.review.json"


def newest_review_file(project_path: Path) -> Path | None:
    """The newest NAME.review.json beside the project file or in its exports/ folder."""
    folder = Path(project_path).parent
    found = [p for where in (folder, folder / "exports") if where.is_dir()
             for p in where.glob(PATTERN) if p.is_file()]
    return max(found, key=lambda p: (p.stat().st_mtime, p.name)) if found else None


def merge(project, path: str) -> ImportReport:
    """`review import`'s merge; a file that cannot be read is one line like any refusal."""
    try:
        return import_review(project, path)
    except OSError as exc:
        raise UserError(f"{Path(path).name}: cannot read it ({exc.strerror or exc})") from None


def report_text(report: ImportReport) -> str:
    """What was merged, what was already there, and what no longer exists: one notification."""
    lines = report.lines()
    if report.unchanged:
        lines.insert(1, f"{report.unchanged} already in the project")
    return "\n".join(lines)


class ImportReview(ModalScreen[ImportReport | None]):
    """A path (the newest review file by default): Enter merges it, escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", show=True)]

    def __init__(self, project_path: Path) -> None:
        super().__init__()
        self.project_path = Path(project_path)
        newest = newest_review_file(self.project_path)
        self.initial = str(newest) if newest else ""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Import the supervisor's review file", classes="dialog-title")
            yield Input(self.initial, placeholder="path to NAME.review.json", id="import-review-path")
            yield Label("Enter merges it (ctrl+z undoes) · escape cancels", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def _path(self, value: str) -> str:
        path = Path(value).expanduser()
        if not path.is_absolute() and not path.exists() and (self.project_path.parent / path).exists():
            path = self.project_path.parent / path
        return str(path)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        value = event.value.strip().strip("'\"")
        if not value:
            self.app.notify("Give the path of the review file (NAME.review.json).", severity="warning")
            return
        report = self.app.act(merge, self._path(value))     # the one merge, as one action
        if report is None:      # refused: act told the user in one line; nothing changed
            return
        self.app.notify(report_text(report), title="Review import",
                        severity="warning" if report.orphaned else "information", timeout=10)
        self.dismiss(report)

    def action_cancel(self) -> None:
        self.dismiss(None)
