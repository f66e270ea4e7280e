"""WorkbenchScreen: a Screen that refreshes its data when the project changed while it was
hidden (the app calls `refresh_data()` on the active screen after every change)."""
from __future__ import annotations

import sys

from textual import events
from textual.screen import Screen
from textual.widgets import Input, OptionList


def types_text(widget: object) -> bool:
    """An Input or a TextArea. TextArea's module is looked up, not imported: until a screen
    that has one is opened (the memo editor) no widget can be one, and importing it here cost
    the first screen 6 ms."""
    if isinstance(widget, Input):
        return True
    text_area = sys.modules.get("textual.widgets._text_area")
    return text_area is not None and isinstance(widget, text_area.TextArea)


def type_into(screen: Screen, event: events.Key, selector: str) -> bool:
    """Where an input is expected, a key that types text types it: when the focus is
    elsewhere on the screen (a result list), a printable key that neither the focused
    widget nor the screen binds goes to the input, so it never reaches the app's
    single-letter bindings (`q` quits, capitals open screens). True when it was typed."""
    character = event.character
    if not character or not character.isprintable() or event.key in ("space", "enter", "tab"):
        return False
    focused = screen.focused
    if types_text(focused):
        return False  # it types there already (Textual's check_consume_key)
    app = screen.app
    for node, bindings in screen._modal_binding_chain:
        if node is app:
            own = getattr(screen, "_registry_entry", None)
            for binding in bindings.key_to_bindings.get(event.key, ()):
                if own and binding.action == f"open_screen('{own}')":
                    return False  # its own key: the app brings the input back
            continue
        if bindings.key_to_bindings.get(event.key):
            return False
    try:
        target = screen.query_one(selector, Input)
    except Exception:  # noqa: BLE001 (no such input on this screen)
        return False
    if target.disabled or not target.display:
        return False
    event.stop()
    event.prevent_default()
    if screen.focused is not target:
        keep = target.select_on_focus
        target.select_on_focus = False  # add to what is there, do not replace it
        target.focus()
        target.call_after_refresh(setattr, target, "select_on_focus", keep)
    target.cursor_position = len(target.value)
    target.insert_text_at_cursor(character)
    return True


class WorkbenchScreen(Screen):
    _data_version_seen: int = -1
    TYPE_TO: str | None = None  # the Input that typing goes to (a search box), if any

    def reopened(self) -> None:
        """The screen's key was pressed while it is open (or on a transcript opened from it).
        Override: a search goes back to its box."""

    def on_key(self, event: events.Key) -> None:
        if self.TYPE_TO:
            type_into(self, event, self.TYPE_TO)

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
    up/down move, Enter or a click chooses. Subclasses define `_filter` and `_choose`.
    Typing while the list has the focus types into the filter."""

    def on_key(self, event: events.Key) -> None:
        type_into(self, event, "Input")  # type: ignore[arg-type]

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
