"""Entry point of the desktop build: the same command line as the installed `safetycheck`."""

from safetycheck.cli import run

run()
