"""For mypy only: installed, ui/ is the package `safetycheck_ui` (pyproject.toml, package-dir);
mypy reads the same files as `ui`. One stub per module re-exports it under its installed name
(tests/ui/test_structure.py checks there is one for each module)."""

from ui import WITHOUT_SOURCE_SCAN as WITHOUT_SOURCE_SCAN
