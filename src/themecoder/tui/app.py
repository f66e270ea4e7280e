"""The coding workbench: a Textual app over one open project.

Start-up stays light: Textual, the project file and the overview screen. spaCy is never
imported on the main path; the NLP pipeline loads in a worker thread after the first screen,
with a progress indicator, and the status bar says whether it is the full model or the
fallback. Every change is one core action, saved at once; a cheap poll of the action log
picks up changes made in another window (a supervisor on the same file).
"""
from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, ClassVar

from textual import work
from textual.app import App, SystemCommand
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
    # Only ours: it lists the workbench's actions first and Textual's system commands last.
    COMMANDS = {WorkbenchCommands}

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+z", "undo", "Undo", show=True),
        Binding("ctrl+y", "redo", "Redo", show=False),
        Binding("f1,question_mark", "help", "Help", show=True),
        Binding("f5,ctrl+r", "refresh", "Refresh", show=False),
        Binding("O", "overview", "Project overview", show=False),
        Binding("ctrl+b", "toggle_blind", "Blind coding on/off", show=False),
        Binding("q,ctrl+q", "quit", "Quit", show=False),
        # plus one binding per entry of tui/registry.py, added in __init__
    ]

    # Shared state shown by every StatusBar.
    nlp_label: reactive[str] = reactive("NLP: not loaded")
    nlp_fallback: reactive[bool] = reactive(False)
    nlp_message: reactive[str] = reactive("")
    task_label: reactive[str] = reactive("")
    task_total: reactive[float | None] = reactive(None)
    task_done: reactive[float] = reactive(0.0)
    data_version: reactive[int] = reactive(0)

    def __init__(self, project_path: str | Path, coder: str | None = None, *, nlp: bool = True,
                 poll: float | None = POLL_SECONDS, blind: bool = False, write_behind: bool | None = None,
                 notices: Path | None = None, check_identifiers: bool = False) -> None:
        """`notices`: a file that remembers the notices already shown (`run` passes the
        user's; without it every start shows them)."""
        super().__init__()
        self._notices_file = notices
        self._check_identifiers = check_identifiers  # run the identifier check after the first screen
        for e in registry.SCREENS:
            self.bind(e.key, f"open_screen('{e.id}')", description=e.title, show=e.footer)
        self.project = Project.open(project_path, coder=coder)
        self._nlp = nlp
        self._poll_seconds = poll
        self._seen_action = self.project.last_action_id()
        self.first_screen_at: float | None = None
        self._after_first: list[Callable[[], None]] = []  # see after_first_screen
        self.pipeline = None
        self._busy: list[str] = []
        # Coding writes behind the paint (see act_behind) in a real terminal. Headless runs
        # (tests) write inline unless asked, so that a test sees the row once the key is handled.
        self._write_behind = write_behind
        self._writes: ThreadPoolExecutor | None = None
        self._pending_write: Future | None = None
        self.blind = blind  # show only this coder's codings (issue 12); see visible_coder

    @property
    def visible_coder(self) -> str | None:
        """Whose codings the screens show: this coder's alone while blind, else None (all)."""
        return views.visible_coder(self.project, self.blind)

    def action_toggle_blind(self) -> None:
        self.blind = self.visible_coder is None
        if self.visible_coder is not None and not self.blind:
            self.notify("The project keeps coders blind until agreement is computed.", severity="warning")
        else:
            self.notify("Blind coding: only your codings are shown." if self.blind
                        else "Blind coding off: everyone's codings are shown.", timeout=3)
        self.data_changed()

    # -- life cycle ----------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While a dialog is open (code picker, memo …) project-wide actions wait: an undo
        underneath an open picker would leave it acting on a stale selection."""
        if action in {"undo", "redo", "open_screen", "overview"}:
            from textual.command import CommandPalette
            from textual.screen import ModalScreen

            # (the palette lists them; they run once it has closed)
            if isinstance(self.screen, ModalScreen) and not isinstance(self.screen, CommandPalette):
                return False
        return True

    def get_default_screen(self) -> Screen:
        from themecoder.tui.screens.overview import OverviewScreen

        return OverviewScreen()

    def on_mount(self) -> None:
        self._loop = asyncio.get_running_loop()
        self.title = self.project.name
        from themecoder.nlp import pipeline_status

        status = pipeline_status()
        self._show_status(status, loaded=False)
        if self._poll_seconds:
            self.set_interval(self._poll_seconds, self.poll_changes)
        from themecoder.tui.live import LiveChanges  # issue 17: a server project's changes arrive live

        self.live = LiveChanges(self).start()
        self.call_after_refresh(self._after_first_screen)

    def after_first_screen(self, callback: Callable[[], None]) -> None:
        """Run `callback` once the first screen is painted (now, if it is). For work that a
        worker thread does beside the app: started earlier, it competes with the first paint
        for the interpreter."""
        if self.first_screen_at is None:
            self._after_first.append(callback)
        else:
            callback()

    def _after_first_screen(self) -> None:
        self.first_screen_at = time.perf_counter()
        # Everything made so far (Textual, the screen, the project's caches) lives for the whole
        # session: move it out of the collector's sight, so a collection during a key press
        # walks only what is new (a full one over the start-up objects took ~10 ms).
        gc.freeze()
        waiting, self._after_first = self._after_first, []
        for callback in waiting:
            callback()
        if self._nlp:
            self.load_pipeline()
            if views.needs_indexing(self.project):  # new imports, or a project from before the compact index
                self.ensure_index()
        if self._check_identifiers:
            self.run_in_thread(self._identifier_check, "checking the transcripts for identifiers",
                               done=lambda _result: self.data_changed())

    def _identifier_check(self, _progress: Callable[..., None]) -> None:
        from themecoder.core.anonymise import check

        check(self.project)

    def on_unmount(self) -> None:
        self.flush_writes()
        if self._writes is not None:
            self._writes.shutdown(wait=True)
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
        views.content_lemmas("relasjonene")  # the picker's lemma ranking: its dictionary, loaded here (~0.8 s)
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
        self.nlp_message = pipeline.status.message
        if pipeline.status.kind != "model" and self.first_notice("nlp-fallback"):
            # Once: afterwards the status bar says it (its tooltip has the whole message)
            # and `themecoder doctor` explains it.
            self.notify(f"{pipeline.status.message} (Shown once: the status bar keeps it; "
                        "`themecoder doctor` says more.)", title="Language pipeline: fallback",
                        severity="warning", timeout=8)

    def first_notice(self, key: str) -> bool:
        """True the first time a notice is asked for on this machine (remembered in the
        notices file); always True without one. A file that cannot be read or written
        never stops the app."""
        import json

        path = self._notices_file
        if path is None:
            return True
        try:
            seen = set(json.loads(path.read_text(encoding="utf-8"))) if path.exists() else set()
        except (OSError, ValueError, TypeError):
            seen = set()
        if key in seen:
            return False
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(sorted(seen | {key})), encoding="utf-8")
        except OSError:
            pass
        return True

    def _index_missing(self) -> None:
        """In a worker thread: build the sentence/lemma index of documents without one."""
        from themecoder.core.indexing import ensure_index

        if not views.needs_indexing(self.project):
            return
        label = "indexing documents"
        self.call_from_thread(self._task_start, label, 1)
        try:
            self._wait_for_background_indexer()
            ensure_index(self.project, self.pipeline_in_thread(),
                         progress=lambda i, n: self.call_from_thread(self._task_progress, i, n))
        finally:
            self.call_from_thread(self._task_end, label)
        self.call_from_thread(self.data_changed)

    def _wait_for_background_indexer(self) -> None:
        """Right after `themecoder import` its detached indexer is still at work: wait for it
        (polling, so that quitting is never held up) instead of indexing the same documents
        again in this process, where the work would compete with the keys for the interpreter."""
        from textual.worker import NoActiveWorker, get_current_worker

        from themecoder.core.indexing import another_indexer_running

        if self.project.on_server:
            return
        try:
            worker = get_current_worker()
        except NoActiveWorker:  # not in a worker: never wait on the app's own thread
            return
        while not worker.is_cancelled and another_indexer_running(self.project.path):
            time.sleep(0.25)

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
        self.flush_writes()  # in order: an action never overtakes a write still in flight
        try:
            result = fn(self.project, *args, **kwargs)
        except UserError as exc:
            self.notify(str(exc), severity="warning")
            return None
        self.data_changed()
        if done:
            self.notify(done, timeout=3)
        return result

    @property
    def writes_behind(self) -> bool:
        return (not self.is_headless) if self._write_behind is None else self._write_behind

    def act_behind(self, fn: Callable[..., Any], *args: Any, done: str | None = None, **kwargs: Any) -> None:
        """Run one core operation after the screen has already painted its expected result.

        The action is still one transaction, run in the one write thread (so actions keep
        their order; `act`, undo and redo wait for it). Afterwards the screen reloads from the
        project: on success that confirms the paint, on failure it takes the paint away, and
        the user is told why."""
        if not self.writes_behind:
            self.act(fn, *args, done=done, **kwargs)
            return
        if self._writes is None:
            self._writes = ThreadPoolExecutor(max_workers=1, thread_name_prefix="themecoder-write")

        def run() -> None:
            try:
                fn(self.project, *args, **kwargs)
            except UserError as exc:
                self._from_write_thread(self._write_failed, str(exc))
                return
            except Exception as exc:  # noqa: BLE001 -- the paint must be taken back whatever failed
                self._from_write_thread(self._write_failed, f"Not saved: {type(exc).__name__}: {exc}")
                return
            self._from_write_thread(self._write_done, done)

        self._pending_write = self._writes.submit(run)

    def _from_write_thread(self, callback: Callable[..., Any], *args: Any) -> None:
        # Not call_from_thread: it waits for the main thread, which may itself be waiting for
        # this write (flush_writes), and the two would wait for each other.
        try:
            self._loop.call_soon_threadsafe(callback, *args)
        except RuntimeError:  # the app is closing: the row is saved, nobody is left to tell
            pass

    def _write_done(self, done: str | None) -> None:
        self.data_changed()
        if done:
            self.notify(done, timeout=3)

    def _write_failed(self, message: str) -> None:
        self.data_changed()
        self.notify(message, severity="warning")

    def flush_writes(self) -> None:
        """Wait for the write in flight (if any)."""
        pending, self._pending_write = self._pending_write, None
        if pending is not None:
            pending.result()

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
        self.flush_writes()
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
            self.push_screen(HelpScreen(self.screen))

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
            self._reopened(current)
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
                self._reopened(current)
                return
        if getattr(current, "_registry_entry", None):
            self.pop_screen()
        factory = registry.load_factory(entry)
        screen = factory(self)
        screen._registry_entry = entry.id
        self.push_screen(screen)

    @staticmethod
    def _reopened(screen: Screen) -> None:
        """A screen's key on that screen: it goes back to its input (a search box), so
        what is typed next is text, never a key of the result list or of the app."""
        reopened = getattr(screen, "reopened", None)
        if reopened is not None:
            reopened()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Textual's commands, with its colour theme called a colour scheme: in this app a
        theme is an analysis theme."""
        for command in super().get_system_commands(screen):
            if command.title == "Theme":
                command = command._replace(title="Colour scheme",
                                           help="Change the colours of the workbench (not analysis themes)")
            yield command

    def palette_commands(self) -> list[tuple[str, str, Callable[[], Any]]]:
        """(title, help, callback) for the command palette beyond the key bindings."""
        out: list[tuple[str, str, Callable[[], Any]]] = []
        for e in registry.SCREENS:
            keys = " ".join(self.get_key_display(Binding(k.strip(), "")) for k in e.key.split(","))
            out.append((f"Open: {e.title}", f"key: {keys} · {e.description}",
                        lambda e=e: self.action_open_screen(e.id)))
        for d in views.documents(self.project):
            out.append((f"Open document: {d.title}", "Read and code this transcript",
                        lambda d=d: self.show_document(d.id)))
        return out


def notices_file() -> Path:
    """Where the workbench remembers the notices it has shown: THEMECODER_STATE_DIR, else
    XDG_STATE_HOME/themecoder, else ~/.local/state/themecoder."""
    import os

    folder = os.environ.get("THEMECODER_STATE_DIR")
    if not folder:
        base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
        folder = str(Path(base) / "themecoder")
    return Path(folder) / "notices.json"


def run(project_path: str | Path, coder: str | None = None, blind: bool = False,
        check_identifiers: bool = False) -> int:
    """Open the workbench on a project; returns the exit code."""
    app = ThemecoderApp(project_path, coder=coder, blind=blind, notices=notices_file(),
                        check_identifiers=check_identifiers)
    result = app.run()
    return int(result or 0)
