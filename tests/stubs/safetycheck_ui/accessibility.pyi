"""For mypy only: `safetycheck_ui.accessibility` is ui/accessibility.py (see __init__.pyi)."""

from ui.accessibility import *
