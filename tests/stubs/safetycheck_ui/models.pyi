"""For mypy only: `safetycheck_ui.models` is ui/models.py (see __init__.pyi)."""

from ui.models import *
