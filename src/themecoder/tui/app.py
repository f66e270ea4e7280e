"""The coding workbench: a Textual app over one open project.

Start-up stays light: Textual, the project file and the overview screen. spaCy is never
imported on the main path; the NLP pipeline loads in a worker thread after the first screen,
with a progress indicator, and the status bar says whether it is the full model or the
fallback. Every change is one core action, saved at once; a cheap poll of the action log
picks up changes made in another window (a supervisor on the same file).
"""
from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from textual import work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.reactive import reactive
from textual.screen import Screen

from themecoder.core import views
from themecoder.core.project import Project
from themecoder.errors import UserError
from themecoder.tui import registry
from themecoder.tui.commands import WorkbenchCommands

POLL_SECONDS = 2.0


class ThemecoderApp(App[int]):
    CSS_PATH = "themecoder.tcss"
    TITLE = "themecoder"
    ENABLE_COMMAND_PALETTE = True
    COMMANDS = App.COMMANDS | {WorkbenchCommands}

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+z", "undo", "Undo", show=True),
        Binding("ctrl+y", "redo", "Redo", show=False),
        Binding("f1,question_mark", "help", "Help", show=True),
        Binding("f5,ctrl+r", "refresh", "Refresh", show=False),
        Binding("O", "overview", "Project overview", show=False),
        Binding("q,ctrl+q", "quit", "Quit", show=False),
        # plus one binding per entry of tui/registry.py, added in __init__
    ]

    # Shared state shown by every StatusBar.
    nlp_label: reactive[str] = reactive("NLP: not loaded")
    nlp_fallback: reactive[bool] = reactive(False)
    task_label: reactive[str] = reactive("")
    task_total: reactive[float | None] = reactive(None)
    task_done: reactive[float] = reactive(0.0)
    data_version: reactive[int] = reactive(0)

    def __init__(self, project_path: str | Path, coder: str | None = None, *, nlp: bool = True,
                 poll: float | None = POLL_SECONDS) -> None:
        super().__init__()
        for e in registry.SCREENS:
            self.bind(e.key, f"open_screen('{e.id}')", description=e.title, show=e.footer)
        self.project = Project.open(project_path, coder=coder)
        self._nlp = nlp
        self._poll_seconds = poll
        self._seen_action = self.project.last_action_id()
        self.first_screen_at: float | None = None
        self.pipeline = None
        self._busy: list[str] = []

    # -- life cycle ----------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While a dialog is open (code picker, memo …) project-wide actions wait: an undo
        underneath an open picker would leave it acting on a stale selection."""
        if action in {"undo", "redo", "open_screen", "overview"}:
            from textual.screen import ModalScreen

            if isinstance(self.screen, ModalScreen):
                return False
        return True

    def get_default_screen(self) -> Screen:
        from themecoder.tui.screens.overview import OverviewScreen

        return OverviewScreen()

    def on_mount(self) -> None:
        self.title = self.project.name
        from themecoder.nlp import pipeline_status

        status = pipeline_status()
        self._show_status(status, loaded=False)
        if self._poll_seconds:
            self.set_interval(self._poll_seconds, self.poll_changes)
        from themecoder.tui.live import LiveChanges  # issue 17: a server project's changes arrive live

        self.live = LiveChanges(self).start()
        self.call_after_refresh(self._after_first_screen)

    def _after_first_screen(self) -> None:
        self.first_screen_at = time.perf_counter()
        if self._nlp:
            self.load_pipeline()

    def on_unmount(self) -> None:
        if getattr(self, "live", None) is not None:
            self.live.stop()  # issue 17
        self.project.close()

    def _show_status(self, status, *, loaded: bool) -> None:
        self.nlp_fallback = status.kind != "model"
        pending = "" if loaded else (" (loading)" if self._nlp else " (not loaded)")
        if status.kind == "model":
            self.nlp_label = f"NLP: {status.name}{pending}"
        else:
            # Short enough that coder and anonymisation state still fit in 80 columns.
            self.nlp_label = f"NLP: FALLBACK, no model{pending}"

    # -- background work -----------------------------------------------------------------
    def _task_start(self, label: str, total: float | None = None) -> None:
        self._busy.append(label)
        self.task_label, self.task_total, self.task_done = label, total, 0.0

    def _task_progress(self, done: float, total: float | None, label: str | None = None) -> None:
        self.task_total, self.task_done = total, done
        if label:
            self.task_label = label

    def _task_end(self, label: str) -> None:
        if label in self._busy:
            self._busy.remove(label)
        if self._busy:
            self.task_label, self.task_total, self.task_done = self._busy[-1], None, 0.0
        else:
            self.task_label, self.task_total, self.task_done = "", None, 0.0

    @work(thread=True, exclusive=True, group="nlp", exit_on_error=False)
    def load_pipeline(self) -> None:
        self.pipeline_in_thread()
        self._index_missing()

    def pipeline_in_thread(self):
        """In a worker thread: the NLP pipeline, loaded once (with a progress indicator)."""
        if self.pipeline is not None:
            return self.pipeline
        label = "loading the language pipeline"
        self.call_from_thread(self._task_start, label)
        try:
            from themecoder.nlp import get_pipeline

            pipeline = get_pipeline()
        finally:
            self.call_from_thread(self._task_end, label)
        if self.pipeline is None:
            self.pipeline = pipeline
            self.call_from_thread(self._pipeline_ready, pipeline)
        return pipeline

    def _pipeline_ready(self, pipeline) -> None:
        self._show_status(pipeline.status, loaded=True)
        if pipeline.status.kind != "model":
            self.notify(pipeline.status.message, title="Language pipeline: fallback", severity="warning",
                        timeout=8)

    def _index_missing(self) -> None:
        """In a worker thread: build the sentence/lemma index of documents without one."""
        from themecoder.core.indexing import ensure_index

        if not views.needs_indexing(self.project):
            return
        label = "indexing documents"
        self.call_from_thread(self._task_start, label, 1)
        try:
            ensure_index(self.project, self.pipeline_in_thread(),
                         progress=lambda i, n: self.call_from_thread(self._task_progress, i, n))
        finally:
            self.call_from_thread(self._task_end, label)
        self.call_from_thread(self.data_changed)

    @work(thread=True, exclusive=True, group="index", exit_on_error=False)
    def ensure_index(self) -> None:
        """Index documents that lost their index (after undo/redo of a text change)."""
        self._index_missing()

    def run_in_thread(self, fn: Callable[[Callable[[float, float | None], None]], Any], label: str,
                      *, done: Callable[[Any], None] | None = None) -> None:
        """Run fn(progress) in a worker thread; progress(done, total) drives the status bar.
        `done(result)` runs on the main thread afterwards; UserError becomes a notification."""

        def job() -> None:
            self.call_from_thread(self._task_start, label)
            try:
                result = fn(lambda d, t=None: self.call_from_thread(self._task_progress, d, t))
            except UserError as exc:
                self.call_from_thread(self.notify, str(exc), severity="error")
                return
            finally:
                self.call_from_thread(self._task_end, label)
            if done is not None:
                self.call_from_thread(done, result)

        self.run_worker(job, thread=True, group="tasks", exit_on_error=False)

    # -- acting --------------------------------------------------------------------------
    def act(self, fn: Callable[..., Any], *args: Any, done: str | None = None, **kwargs: Any) -> Any:
        """Run one core operation on the project; errors the user can act on are notified."""
        try:
            result = fn(self.project, *args, **kwargs)
        except UserError as exc:
            self.notify(str(exc), severity="warning")
            return None
        self.data_changed()
        if done:
            self.notify(done, timeout=3)
        return result

    def data_changed(self) -> None:
        self._seen_action = self.project.last_action_id()
        self.data_version += 1
        screen = self.screen
        refresh = getattr(screen, "refresh_data", None)
        if refresh is not None:
            refresh()
            screen._data_version_seen = self.data_version  # type: ignore[attr-defined]

    def poll_changes(self) -> None:
        """Cheap: one indexed query. Another window's actions refresh this one."""
        try:
            last = self.project.last_action_id()
        except Exception:  # noqa: BLE001 (the file is busy, or anything else: try again next time)
            return
        if last != self._seen_action:
            self.data_changed()
            self.notify("Updated with changes made in another window.", timeout=3)

    def action_refresh(self) -> None:
        self.data_changed()
        self.notify("Refreshed.", timeout=2)

    def action_undo(self) -> None:
        self._history(undo=True)

    def action_redo(self) -> None:
        self._history(undo=False)

    def _history(self, *, undo: bool) -> None:
        verb = "Undone" if undo else "Redone"
        try:
            action = self.project.undo() if undo else self.project.redo()
        except UserError as exc:
            self.notify(str(exc), severity="error")
            self.data_changed()
            return
        if action is None:
            self.notify(f"Nothing to {'undo' if undo else 'redo'}.", timeout=3)
            return
        self.notify(f"{verb}: {action.summary}", timeout=4)
        self.data_changed()
        if views.needs_indexing(self.project):
            self.ensure_index()

    # -- navigation ----------------------------------------------------------------------
    def action_help(self) -> None:
        from themecoder.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def _pop_to_base(self) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()

    def action_overview(self) -> None:
        self._pop_to_base()

    def show_document(self, doc_id: str, span: tuple[int, int] | None = None) -> None:
        """Open a transcript (reusing an open one) with [start, end) selected and in view."""
        from themecoder.tui.screens.transcript import TranscriptScreen

        if getattr(self.screen, "_registry_entry", None) is not None:
            # From a tool screen (codes, matrix, review ...) the transcript goes on top, so
            # escape returns to where the jump was made.
            self.push_screen(TranscriptScreen(doc_id, select=span))
            return
        stack = self.screen_stack
        keep = 1
        for i, screen in enumerate(stack[1:], 1):
            if isinstance(screen, TranscriptScreen) and screen.doc_id == doc_id:
                keep = i + 1
                break
        while len(self.screen_stack) > keep:
            self.pop_screen()
        screen = self.screen
        if isinstance(screen, TranscriptScreen) and screen.doc_id == doc_id:
            if getattr(screen, "_data_version_seen", -1) != self.data_version:
                screen.refresh_data()
                screen._data_version_seen = self.data_version
            if span:
                screen.select(*span)
            return
        self.push_screen(TranscriptScreen(doc_id, select=span))

    def action_open_screen(self, entry_id: str) -> None:
        entry = registry.entry(entry_id)
        current = self.screen
        if getattr(current, "_registry_entry", None) == entry.id:
            return
        from textual.screen import ModalScreen

        if isinstance(current, ModalScreen):
            return
        # The stack stays short: overview, transcript, one tool screen, and a transcript
        # opened from that tool. From such a transcript, a tool key goes back to the tool.
        from themecoder.tui.screens.transcript import TranscriptScreen

        stack = self.screen_stack
        if isinstance(current, TranscriptScreen) and len(stack) > 2 and getattr(stack[-2], "_registry_entry", None):
            self.pop_screen()
            current = self.screen
            if getattr(current, "_registry_entry", None) == entry.id:
                return
        if getattr(current, "_registry_entry", None):
            self.pop_screen()
        factory = registry.load_factory(entry)
        screen = factory(self)
        screen._registry_entry = entry.id
        self.push_screen(screen)

    def palette_commands(self) -> list[tuple[str, str, Callable[[], Any]]]:
        """(title, help, callback) for the command palette beyond the key bindings."""
        out: list[tuple[str, str, Callable[[], Any]]] = []
        for e in registry.SCREENS:
            out.append((f"Open: {e.title}", e.description, lambda e=e: self.action_open_screen(e.id)))
        for d in views.documents(self.project):
            out.append((f"Open document: {d.title}", "Read and code this transcript",
                        lambda d=d: self.show_document(d.id)))
        return out


def run(project_path: str | Path, coder: str | None = None) -> int:
    """Open the workbench on a project; returns the exit code."""
    app = ThemecoderApp(project_path, coder=coder)
    result = app.run()
    return int(result or 0)
