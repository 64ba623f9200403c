"""For mypy only: `safetycheck_ui.falls_page` is ui/falls_page.py (see __init__.pyi)."""

from ui.falls_page import *
