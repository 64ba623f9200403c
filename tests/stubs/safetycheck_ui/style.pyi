"""For mypy only: `safetycheck_ui.style` is ui/style.py (see __init__.pyi)."""

from ui.style import *
