"""For mypy only: `safetycheck_ui.session` is ui/session.py (see __init__.pyi)."""

from ui.session import *
