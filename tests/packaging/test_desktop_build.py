"""The one-folder desktop build (PyInstaller): it builds, starts offscreen and writes a PDF."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support import ROOT


@pytest.mark.slow
def test_one_folder_build_starts_and_writes_a_checklist(tmp_path: Path) -> None:
    started = time.perf_counter()
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level",
            "ERROR",
            "--distpath",
            str(tmp_path / "dist"),
            "--workpath",
            str(tmp_path / "work"),
            str(ROOT / "packaging" / "safetycheck.spec"),
        ],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=ROOT,
    )
    assert build.returncode == 0, build.stderr[-3000:]
    print(f"build took {time.perf_counter() - started:.1f} s")
    program = tmp_path / "dist" / "safetycheck" / "safetycheck"
    assert program.exists()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("SAFETYCHECK_DATA_DIR", None)
    db = f"sqlite:///{tmp_path / 'frozen.sqlite3'}"  # a new database: migrations run frozen too
    smoke = subprocess.run(
        [str(program), "--db", db, "gui", "--smoke"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=tmp_path,
    )
    assert smoke.returncode == 0, smoke.stderr
    assert json.loads(smoke.stdout.strip().splitlines()[-1])["startup_ms"] > 0
    pdf = tmp_path / "checklist.pdf"
    written = subprocess.run(
        [str(program), "checklist", "-o", str(pdf)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=tmp_path,
    )
    assert written.returncode == 0, written.stderr
    assert pdf.read_bytes().startswith(b"%PDF")
    demo = subprocess.run(
        [str(program), "--db", db, "demo"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=tmp_path,
    )
    assert demo.returncode == 0, demo.stderr
    assert len(demo.stdout.strip()) == 32, demo.stdout
