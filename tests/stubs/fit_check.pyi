"""For mypy only: the fit checker under the name the tests import it by."""

from tests.ui.fit_check import *
