"""For mypy only: `safetycheck_ui.charts` is ui/charts.py (see __init__.pyi)."""

from ui.charts import *
