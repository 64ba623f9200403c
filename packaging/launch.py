"""Entry point of the desktop build: the same command line as the installed `safetycheck`."""

import sys

from safetycheck.cli import main

sys.exit(main())
