"""For mypy only: the tests import tests/fakes.py as `fakes` (tests/ is on sys.path)."""

from tests.fakes import *
