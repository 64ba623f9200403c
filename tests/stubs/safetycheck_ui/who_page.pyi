"""For mypy only: `safetycheck_ui.who_page` is ui/who_page.py (see __init__.pyi)."""

from ui.who_page import *
