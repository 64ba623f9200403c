"""For mypy only: `safetycheck_ui.photos` is ui/photos.py (see __init__.pyi)."""

from ui.photos import *
