"""Allows `python -m safetycheck`."""

from safetycheck.cli import run

run()
