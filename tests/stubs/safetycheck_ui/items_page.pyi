"""For mypy only: `safetycheck_ui.items_page` is ui/items_page.py (see __init__.pyi)."""

from ui.items_page import *
