"""For mypy only: `safetycheck_ui.record_view` is ui/record_view.py (see __init__.pyi)."""

from ui.record_view import *
