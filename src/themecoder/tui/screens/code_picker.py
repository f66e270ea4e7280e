"""Moved: the code picker and the coding chooser live in themecoder.tui.dialogs."""
from __future__ import annotations

# TRANSITIONAL: remove at integration
from themecoder.tui.dialogs.choose_coding import ChooseCoding  # noqa: F401
from themecoder.tui.dialogs.code_picker import CodePicker, Pick, code_prompt  # noqa: F401
