"""For mypy only: `safetycheck_ui.keys` is ui/keys.py (see __init__.pyi)."""

from ui.keys import *
