"""For mypy only: the GUI tests import tests/ui/recorders.py as `recorders` (tests/ui/ is on
sys.path)."""

from tests.ui.recorders import *
