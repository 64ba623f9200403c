"""For mypy only: `safetycheck_ui.exercise_dialog` is ui/exercise_dialog.py (see __init__.pyi)."""

from ui.exercise_dialog import *
