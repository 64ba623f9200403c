"""The project layout promises: every package ships, and the core stays free of Qt."""

from __future__ import annotations

import ast
import tomllib

from support import ROOT


def test_every_package_is_listed_for_the_wheel() -> None:
    """Every folder of Python, and every folder of data/ holding files, is a listed package:
    setuptools leaves out (with a warning) a data folder that is not."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(config["packages"])
    mapping = {folder: name for name, folder in config["package-dir"].items()}
    folders = {
        path.parent for name in ("safetycheck", "ui") for path in (ROOT / name).rglob("*.py")
    }
    folders |= {
        path.parent
        for path in (ROOT / "data").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    found = set()
    for folder in folders:
        parts = folder.relative_to(ROOT).parts
        found.add(".".join((mapping[parts[0]], *parts[1:])))
    assert found == listed


def test_core_source_never_mentions_pyside() -> None:
    # import-linter checks imports; this also catches importlib tricks inside the core.
    for path in (ROOT / "safetycheck").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                assert "PySide6" not in node.value, path
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names] + [getattr(node, "module", "") or ""]
                assert not any(n.startswith(("PySide6", "shiboken6")) for n in names), path
