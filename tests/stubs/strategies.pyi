"""For mypy only: the tests import tests/strategies.py as `strategies` (tests/ is on sys.path)."""

from tests.strategies import *
