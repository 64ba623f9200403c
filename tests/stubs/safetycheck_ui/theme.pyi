"""For mypy only: `safetycheck_ui.theme` is ui/theme.py (see __init__.pyi)."""

from ui.theme import *
