"""For mypy only: `safetycheck_ui.icons` is ui/icons.py (see __init__.pyi)."""

from ui.icons import *
