"""The Qt front end, installed as the package `safetycheck_ui`; the only code importing PySide6.

Importing it first puts back Python's own `__import__` in place of PySide6's. PySide6 replaces
it to support `from __feature__ import snake_case, true_property`; after every import its hook
reads the new module's source (`inspect.getsource`) to look for the word "PySide6", and Python's
line cache keeps that source for the rest of the run: about 530 files and 9 million characters,
some 22 MB, for the modules this program imports. The program selects no feature (a module
without one is served the default, unchanged API), so the hook has nothing to do here. If a
version of PySide6 sets it up differently, nothing is changed.
"""

import builtins

import PySide6.QtCore  # noqa: F401  (installs PySide6's import hook, taken out below)


def _plain_import() -> bool:
    """Put back the import PySide6 wrapped; True if it was PySide6's and is gone now."""
    hook = getattr(builtins, "__feature_import__", None)
    wrapped = getattr(builtins, "__orig_import__", None)
    if hook is None or wrapped is None or builtins.__import__ is not hook:
        return False
    builtins.__import__ = wrapped
    return True


WITHOUT_SOURCE_SCAN = _plain_import()
