"""Moved to themecoder.io.demo (the demo builder imports files, so it lives in io)."""
# TRANSITIONAL: remove at integration (callers: cli.py, tui/; they import themecoder.io.demo)
from themecoder.io.demo import build_demo, default_demo_dir, demo_root  # noqa: F401
