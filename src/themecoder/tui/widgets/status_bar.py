"""StatusBar: the NLP pipeline in use (saying clearly when it is the fallback), the coder,
the anonymisation state (e.g. "avidentifisert" while a key exists) and a progress bar for
long work. It mirrors reactive state kept on the app."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label, ProgressBar


class StatusBar(Horizontal):
    DEFAULT_CSS = """
    StatusBar {
        height: 1;
    }
    """

    def compose(self) -> ComposeResult:
        yield Label("", id="status-nlp")
        yield Label("", id="status-coder")
        yield Label("", id="status-anon")
        yield Label("", id="status-task")
        yield ProgressBar(id="status-progress", show_eta=False, show_percentage=False)

    def on_mount(self) -> None:
        app = self.app
        self.query_one("#status-coder", Label).update(f"coder: {app.project.coder}")
        self.watch(app, "nlp_label", self._show_nlp, init=True)
        self.watch(app, "nlp_fallback", self._show_nlp, init=False)
        self.watch(app, "nlp_message", self._show_nlp, init=False)
        self.watch(app, "data_version", self._show_anonymisation, init=False)
        # After the first paint: the worker would otherwise compete with it for the interpreter.
        app.after_first_screen(self._show_anonymisation)
        self.watch(app, "task_label", self._show_task, init=True)
        self.watch(app, "task_done", self._show_task, init=False)
        self.watch(app, "task_total", self._show_task, init=False)

    def _show_nlp(self, _value=None) -> None:
        label = self.query_one("#status-nlp", Label)
        label.update(self.app.nlp_label)
        label.set_class(self.app.nlp_fallback, "-fallback")
        label.tooltip = getattr(self.app, "nlp_message", "") or None  # the whole message, always at hand

    def _show_anonymisation(self, _value=None) -> None:
        # In a worker: the label compares every document with its last check, which takes a
        # second on a 10,000-document project and must not hold up the first screen or a key.
        self.run_worker(self._anonymisation_label, thread=True, exclusive=True, group="status-anon",
                        exit_on_error=False)

    def _anonymisation_label(self) -> None:
        from themecoder.core.anonymise import anonymisation_label

        try:
            text = anonymisation_label(self.app.project)
        except Exception:  # noqa: BLE001 (a status line must never take the app down)
            text = ""
        try:
            self.app.call_from_thread(self._set_anonymisation, text)
        except RuntimeError:  # the app closed meanwhile
            pass

    def _set_anonymisation(self, text: str) -> None:
        label = self.query_one("#status-anon", Label)
        label.update(f"anon: {text}" if text else "")
        label.set_class(text in {"uavklarte funn", "ikke kontrollert"}, "-warning")

    def _show_task(self, _value=None) -> None:
        app = self.app
        busy = bool(app.task_label)
        self.query_one("#status-task", Label).update(app.task_label)
        bar = self.query_one("#status-progress", ProgressBar)
        bar.display = busy
        if busy:
            bar.update(total=app.task_total, progress=app.task_done)
