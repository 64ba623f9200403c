"""For mypy only: the GUI tests import tests/ui/drive.py as `drive` (tests/ui/ is on sys.path)."""

from tests.ui.drive import *
