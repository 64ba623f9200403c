"""For mypy only: `safetycheck_ui.step_page` is ui/step_page.py (see __init__.pyi)."""

from ui.step_page import *
