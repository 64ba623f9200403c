"""For mypy only: `safetycheck_ui.flow_layout` is ui/flow_layout.py (see __init__.pyi)."""

from ui.flow_layout import *
