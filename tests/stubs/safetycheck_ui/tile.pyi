"""For mypy only: `safetycheck_ui.tile` is ui/tile.py (see __init__.pyi)."""

from ui.tile import *
