"""How the front end is put together: no import cycle, a page class for every kind of step,
errors shown in one place, and mypy's names for every module."""

from __future__ import annotations

import re
from collections.abc import Iterable

import grimp
from support import ROOT

from safetycheck.domain.steps import StepKind
from safetycheck_ui.step_page import StepPage
from safetycheck_ui.wizard import PAGES

UI = ROOT / "ui"


def find_cycle(package: str, imports: dict[str, set[str]] | None = None) -> list[str] | None:
    """One import cycle among the package's modules (top-level, lazy and type-checking imports
    all count), or None."""
    if imports is None:
        graph = grimp.build_graph(package)
        imports = {
            module: {
                imported
                for imported in graph.find_modules_directly_imported_by(module)
                if imported == package or imported.startswith(package + ".")
            }
            for module in graph.modules
        }
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> list[str] | None:
        if module in path:
            return [*path[path.index(module) :], module]
        if module in done:
            return None
        for imported in sorted(imports.get(module, ())):
            cycle = visit(imported, [*path, module])
            if cycle:
                return cycle
        done.add(module)
        return None

    for module in sorted(imports):
        cycle = visit(module, [])
        if cycle:
            return cycle
    return None


def test_the_front_end_has_no_import_cycle() -> None:
    assert find_cycle("safetycheck_ui") is None


def test_the_cycle_finder_finds_a_cycle() -> None:
    cycle = find_cycle("p", {"p.app": {"p.window"}, "p.window": {"p.style", "p.app"}})
    assert cycle == ["p.app", "p.window", "p.app"]
    assert find_cycle("p", {"p.app": {"p.window"}, "p.window": {"p.style"}}) is None


def test_every_kind_of_step_has_a_page_class() -> None:
    assert [kind for kind, _page in PAGES] == list(StepKind)
    assert all(issubclass(page, StepPage) for _kind, page in PAGES)


def modules(folder: Iterable[str]) -> set[str]:
    return {name for name in folder if name != "__init__"}


def test_every_module_has_its_installed_name_for_mypy() -> None:
    stubs = ROOT / "tests" / "stubs" / "safetycheck_ui"
    assert modules(p.stem for p in stubs.glob("*.pyi")) == modules(p.stem for p in UI.glob("*.py"))
    for stub in stubs.glob("*.pyi"):
        if stub.stem != "__init__":
            assert f"from ui.{stub.stem} import *" in stub.read_text(encoding="utf-8"), stub


def test_errors_are_shown_in_one_place() -> None:
    """A user's error is shown by Operations.show_error only: no screen catches the service's
    errors and words its own warning."""
    for source in UI.glob("*.py"):
        text = source.read_text(encoding="utf-8")
        if source.name != "operations.py":
            assert "QMessageBox.warning" not in text, source.name
            assert not re.search(r"except \(?(ServiceError|StoreError|OutputPathError)", text), (
                source.name
            )


def test_text_is_shown_as_written() -> None:
    """Every label is made by style.plain_label and every message box by operations.message,
    both plain text: Qt's defaults (a QLabel's AutoText, QMessageBox's static functions) would
    render a name or a file name that looks like markup (test_hostile_text shows them)."""
    for source in UI.glob("*.py"):
        text = source.read_text(encoding="utf-8")
        if source.name != "style.py":
            assert "QLabel(" not in text, source.name
        assert not re.search(
            r"QMessageBox\.(warning|information|question|critical|about)\(", text
        ), source.name
        assert "setTextFormat(Qt.TextFormat.RichText" not in text, source.name
        assert "setTextFormat(Qt.TextFormat.AutoText" not in text, source.name
