"""Screens of the workbench. Teammates add theirs here and register them in tui/registry.py."""
