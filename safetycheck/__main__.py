"""Allows `python -m safetycheck`."""

from safetycheck.cli import main

raise SystemExit(main())
