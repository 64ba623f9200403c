"""For mypy only: `safetycheck_ui.wizard` is ui/wizard.py (see __init__.pyi)."""

from ui.wizard import *
