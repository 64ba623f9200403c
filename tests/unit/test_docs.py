"""The architecture document's module map names every module (a map that misses one misleads)."""

from __future__ import annotations

import re

from support import ROOT

MAP = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")


def test_the_module_map_names_every_module() -> None:
    block = MAP.split("## Module map", 1)[1].split("```", 2)[1]
    named = set(re.findall(r"[\w.]+\.py", block))
    missing = []
    for folder in ("safetycheck", "ui", "benchmarks"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if path.name == "__init__.py" or "migrations" in relative.parts:
                continue
            if path.name not in named:
                missing.append(str(relative))
    assert missing == []
