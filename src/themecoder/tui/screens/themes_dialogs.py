"""Moved: the theme dialogs live in themecoder.tui.dialogs, one per module."""
from __future__ import annotations

# TRANSITIONAL: remove at integration
from themecoder.tui.dialogs.ask_text import AskText  # noqa: F401
from themecoder.tui.dialogs.confirm import Confirm  # noqa: F401
from themecoder.tui.dialogs.key_quote_picker import KeyQuotePicker  # noqa: F401
from themecoder.tui.dialogs.theme_picker import ThemePick, ThemePicker  # noqa: F401
from themecoder.tui.dialogs.theme_texts_editor import ThemeTexts, ThemeTextsEditor  # noqa: F401
