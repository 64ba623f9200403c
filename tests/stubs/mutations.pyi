"""For mypy only: the tests import tests/mutations.py as `mutations` (tests/ is on sys.path)."""

from tests.mutations import *
