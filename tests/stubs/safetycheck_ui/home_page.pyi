"""For mypy only: `safetycheck_ui.home_page` is ui/home_page.py (see __init__.pyi)."""

from ui.home_page import *
