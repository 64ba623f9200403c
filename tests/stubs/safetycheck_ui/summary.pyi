"""For mypy only: `safetycheck_ui.summary` is ui/summary.py (see __init__.pyi)."""

from ui.summary import *
