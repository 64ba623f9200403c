"""For mypy only: `safetycheck_ui.dialogs` is ui/dialogs.py (see __init__.pyi)."""

from ui.dialogs import *
