"""Finds the bundled data folder: the same way for a checkout, a wheel and a frozen build."""

from __future__ import annotations

import importlib.resources
import os
import sys
from pathlib import Path

DATA_ENV = "SAFETYCHECK_DATA_DIR"


def data_dir() -> Path:
    """Return the folder holding checklist content, model parameters, fonts and translations.

    The folder is the package `safetycheck_data` (the top-level `data/` of the source tree, mapped
    by pyproject.toml). A source checkout installed in editable mode, an installed wheel and a
    PyInstaller build that collects the package all answer through `importlib.resources`. The
    environment variable SAFETYCHECK_DATA_DIR overrides it (used by tests of broken content).
    """
    override = os.environ.get(DATA_ENV)
    if override:
        return Path(override)
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root is not None:
        return Path(frozen_root) / "safetycheck_data"
    return Path(str(importlib.resources.files("safetycheck_data")))
