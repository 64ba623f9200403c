"""For mypy only: `safetycheck_ui.exports` is ui/exports.py (see __init__.pyi)."""

from ui.exports import *
