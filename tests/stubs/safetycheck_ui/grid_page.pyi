"""For mypy only: `safetycheck_ui.grid_page` is ui/grid_page.py (see __init__.pyi)."""

from ui.grid_page import *
