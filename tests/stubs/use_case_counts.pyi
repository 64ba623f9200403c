"""For mypy only: the tests import benchmarks/use_case_counts.py as `use_case_counts`."""

from benchmarks.use_case_counts import *
