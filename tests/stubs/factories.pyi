"""For mypy only: the tests import tests/factories.py as `factories` (tests/ is on sys.path)."""

from tests.factories import *
