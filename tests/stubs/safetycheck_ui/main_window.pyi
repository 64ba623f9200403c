"""For mypy only: `safetycheck_ui.main_window` is ui/main_window.py (see __init__.pyi)."""

from ui.main_window import *
