"""For mypy only: `safetycheck_ui.text_size` is ui/text_size.py (see __init__.pyi)."""

from ui.text_size import *
