"""safetycheck: home fall-safety walkthrough, explainable fall-risk score and action plan."""

import time

__version__ = "0.1.0"

# When the program began importing itself: `gui --smoke` reports its startup time from here.
STARTED = time.perf_counter()
