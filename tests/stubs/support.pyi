"""For mypy only: the tests import tests/support.py as `support` (tests/ is on sys.path)."""

from tests.support import *
