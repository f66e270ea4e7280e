"""Live changes in the TUI for a project on a PostgreSQL server (LISTEN/NOTIFY, not polling).

A thread waits on the project's channel; when someone commits an action, the app refreshes at
once (through its usual `poll_changes`). What the person now sees becomes the point that later
edits are checked against (`Project.mark_seen`), but never while a dialog is open: a code being
edited in a dialog keeps the version it was opened with, so a save over someone else's newer
change is refused as a conflict instead of overwriting it. A file project has no listener.
"""
from __future__ import annotations

import threading
from typing import Any

WAIT_SECONDS = 0.5


class LiveChanges:
    def __init__(self, app: Any) -> None:
        self.app = app
        self._stop = threading.Event()
        self._listener = app.project.listen()
        self._thread: threading.Thread | None = None
        self._pending = False

    @property
    def active(self) -> bool:
        return self._listener is not None

    def start(self) -> LiveChanges:
        if self._listener is not None:
            self._thread = threading.Thread(target=self._run, name="themecoder-live", daemon=True)
            self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                ids = self._listener.wait(WAIT_SECONDS)
            except Exception:  # noqa: BLE001 (server gone: the app's polling still works)
                return
            if self._stop.is_set():
                return
            if ids or self._pending:
                try:
                    self.app.call_from_thread(self._changed)
                except RuntimeError:  # the app is closing
                    return

    def _changed(self) -> None:
        from textual.screen import ModalScreen

        self.app.poll_changes()
        if isinstance(self.app.screen, ModalScreen):
            self._pending = True
            return
        self._pending = False
        self.app.project.mark_seen()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2)
        if self._listener is not None:
            self._listener.close()
