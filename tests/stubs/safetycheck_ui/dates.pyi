"""For mypy only: `safetycheck_ui.dates` is ui/dates.py (see __init__.pyi)."""

from ui.dates import *
