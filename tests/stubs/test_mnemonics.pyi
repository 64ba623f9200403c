"""For mypy only: GUI tests import the mnemonic reader of tests/ui/test_mnemonics.py by name."""

from tests.ui.test_mnemonics import *
