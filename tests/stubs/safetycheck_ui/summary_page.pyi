"""For mypy only: `safetycheck_ui.summary_page` is ui/summary_page.py (see __init__.pyi)."""

from ui.summary_page import *
