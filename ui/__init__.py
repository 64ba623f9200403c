"""The Qt front end, installed as the package `safetycheck_ui`; the only code importing PySide6."""
