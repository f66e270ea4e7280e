"""Moved: the memo editor lives in themecoder.tui.dialogs.memo_editor."""
from __future__ import annotations

# TRANSITIONAL: remove at integration
from themecoder.tui.dialogs.memo_editor import MemoScreen, edit_memo_for  # noqa: F401
