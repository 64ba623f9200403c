"""For mypy only: `safetycheck_ui.app` is ui/app.py (see __init__.pyi)."""

from ui.app import *
