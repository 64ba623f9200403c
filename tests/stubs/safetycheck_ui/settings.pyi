"""For mypy only: `safetycheck_ui.settings` is ui/settings.py (see __init__.pyi)."""

from ui.settings import *
