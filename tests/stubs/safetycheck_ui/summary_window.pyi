"""For mypy only: `safetycheck_ui.summary_window` is ui/summary_window.py (see __init__.pyi)."""

from ui.summary_window import *
