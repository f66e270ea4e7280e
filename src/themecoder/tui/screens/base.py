"""WorkbenchScreen: a Screen that refreshes its data when the project changed while it was
hidden (the app calls `refresh_data()` on the active screen after every change)."""
from __future__ import annotations

from textual.screen import Screen


class WorkbenchScreen(Screen):
    _data_version_seen: int = -1

    def refresh_data(self) -> None:
        """Reload what the screen shows from the project. Override."""

    def on_mount(self) -> None:
        self._data_version_seen = getattr(self.app, "data_version", 0)

    def on_screen_resume(self) -> None:
        version = getattr(self.app, "data_version", 0)
        if self._data_version_seen != version:
            self._data_version_seen = version
            self.refresh_data()
