"""For mypy only: `safetycheck_ui.item_row` is ui/item_row.py (see __init__.pyi)."""

from ui.item_row import *
