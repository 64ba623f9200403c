"""The wheel: built without a warning, it holds every data file, and installed into a fresh
virtual environment outside the checkout it works alone."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest
from support import ROOT


def run(command: list[str], cwd: Path, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHONPATH", "SAFETYCHECK_DB", "SAFETYCHECK_DATA_DIR")
    }
    env["QT_QPA_PLATFORM"] = "offscreen"
    return subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env
    )


@pytest.mark.slow
def test_wheel_installs_and_runs_outside_the_checkout(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    built = run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-v", "-w", str(wheels), str(ROOT)],
        cwd=tmp_path,
    )
    assert built.returncode == 0, built.stderr[-2000:]
    # setuptools' complaints about the metadata (a deprecated licence table, data folders it
    # would leave out) are mistakes in pyproject.toml: the build must be quiet.
    complaints = re.findall(
        r".*(?:Setuptools\w*Warning|BuildBackendWarning|would be ignored|is deprecated).*",
        built.stdout + built.stderr,
    )
    assert complaints == [], "\n".join(complaints)
    (wheel,) = wheels.glob("safetycheck-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        shipped = set(archive.namelist())
    data = ROOT / "data"
    for path in data.rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts:
            assert f"safetycheck_data/{path.relative_to(data).as_posix()}" in shipped, path
    assert "safetycheck/store/migrations/script.py.mako" in shipped
    for package in ("safetycheck", "safetycheck_ui"):
        source = ROOT / ("ui" if package == "safetycheck_ui" else package)
        for module in source.rglob("*.py"):
            assert f"{package}/{module.relative_to(source).as_posix()}" in shipped, module

    home = tmp_path / "elsewhere"
    home.mkdir()
    venv.create(home / "venv", with_pip=True)
    python = home / "venv" / "bin" / "python"
    installed = run([str(python), "-m", "pip", "install", "-q", str(wheel)], cwd=home)
    assert installed.returncode == 0, installed.stderr[-2000:]
    program = str(home / "venv" / "bin" / "safetycheck")

    version = run([program, "--version"], cwd=home)
    from safetycheck import __version__

    assert version.stdout.strip() == f"safetycheck {__version__}", version.stderr

    # Nothing comes from the checkout: the packages and data live in the venv.
    where = run(
        [
            str(python),
            "-c",
            "import safetycheck, safetycheck_ui, safetycheck_data; "
            "from safetycheck.resources import data_dir; "
            "print(safetycheck.__file__); print(safetycheck_ui.__file__); print(data_dir())",
        ],
        cwd=home,
    )
    assert where.returncode == 0, where.stderr
    for line in where.stdout.splitlines():
        assert str(home / "venv") in line, line
        assert str(ROOT) not in line, line

    checklist = run([program, "checklist", "-o", str(home / "blank.pdf"), "--mode", "ot"], cwd=home)
    assert checklist.returncode == 0, checklist.stderr
    assert (home / "blank.pdf").read_bytes().startswith(b"%PDF")

    db = f"sqlite:///{home / 'demo.sqlite3'}"
    demo = run([program, "--db", db, "demo"], cwd=home)
    assert demo.returncode == 0, demo.stderr
    assert len(demo.stdout.strip()) == 32
    report = run(
        [program, "--db", db, "report", demo.stdout.strip(), "-o", str(home / "plan.pdf")], cwd=home
    )
    assert report.returncode == 0, report.stderr
    smoke = run([program, "--db", db, "gui", "--smoke"], cwd=home)
    assert smoke.returncode == 0, smoke.stderr
    assert '"people": 1' in smoke.stdout
