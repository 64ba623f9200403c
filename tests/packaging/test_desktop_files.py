"""Linux desktop integration files validate, and every place that shows the version agrees."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from support import ROOT

from safetycheck import __version__

LINUX = ROOT / "packaging" / "linux"
APP_ID = "io.github.safetycheck.SafetyCheck"


def tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed (./tasks.sh test installs it as root)")
    return found


def test_desktop_file_validates() -> None:
    result = subprocess.run(
        [tool("desktop-file-validate"), str(LINUX / f"{APP_ID}.desktop")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout
    assert "error" not in result.stdout.lower(), result.stdout


def test_metainfo_validates() -> None:
    result = subprocess.run(
        [
            tool("appstreamcli"),
            "validate",
            "--no-net",
            "--pedantic",
            str(LINUX / f"{APP_ID}.metainfo.xml"),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_icons_exist_in_every_size() -> None:
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        assert (LINUX / "icons" / f"safetycheck-{size}.png").exists()
    assert (LINUX / "safetycheck.svg").read_bytes() == (
        ROOT / "data" / "icons" / "safetycheck.svg"
    ).read_bytes()


def test_one_version_everywhere() -> None:
    metainfo = (LINUX / f"{APP_ID}.metainfo.xml").read_text()
    assert f'<release version="{__version__}"' in metainfo
    changelog = (ROOT / "CHANGELOG.md").read_text()
    assert re.search(rf"^## \[?{re.escape(__version__)}\]?", changelog, flags=re.M)
