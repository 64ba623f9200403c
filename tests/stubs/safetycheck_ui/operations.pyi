"""For mypy only: `safetycheck_ui.operations` is ui/operations.py (see __init__.pyi)."""

from ui.operations import *
