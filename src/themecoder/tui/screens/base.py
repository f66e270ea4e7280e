"""WorkbenchScreen: a Screen that refreshes its data when the project changed while it was
hidden (the app calls `refresh_data()` on the active screen after every change)."""
from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Input, OptionList


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


class FilterPicker:
    """Keys shared by the pickers (an Input that filters an OptionList): typing filters,
    up/down move, Enter or a click chooses. Subclasses define `_filter` and `_choose`."""

    def _filter(self, query: str) -> None:
        raise NotImplementedError

    def _choose(self, option_id: str | None) -> None:
        raise NotImplementedError

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._filter(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        options = self.query_one(OptionList)
        if options.highlighted is not None:
            self._choose(options.get_option_at_index(options.highlighted).id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._choose(event.option.id)

    def action_move(self, delta: int) -> None:
        options = self.query_one(OptionList)
        if options.option_count:
            current = options.highlighted if options.highlighted is not None else -1
            options.highlighted = max(0, min(options.option_count - 1, current + delta))
