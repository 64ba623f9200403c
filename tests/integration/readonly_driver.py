"""Run inside a private mount namespace (`unshare -m`) as root: a database on a file system that
is then made read-only, and what each command does there. Prints one JSON object."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def run(*args: str) -> dict[str, object]:
    process = subprocess.run(
        [sys.executable, "-m", "safetycheck", "--db", f"sqlite:///{DATABASE}", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    return {"code": process.returncode, "stdout": process.stdout, "stderr": process.stderr}


MOUNT = Path(sys.argv[1])
DATABASE = MOUNT / "data" / "db.sqlite3"
subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(MOUNT)], check=True)
made = run("demo")
subprocess.run(["mount", "-o", "remount,ro", str(MOUNT)], check=True)
before = sorted(p.name for p in DATABASE.parent.iterdir())
visit = str(made["stdout"]).strip()
outcome = {
    "demo before": made,
    "list": run("list"),
    "score": run("score", visit),
    "export": run("export", visit, "-o", str(Path(sys.argv[2]).parent / "out.json")),
    "demo": run("demo"),
    "files before": before,
    "files after": sorted(p.name for p in DATABASE.parent.iterdir()),
}
Path(sys.argv[2]).write_text(json.dumps(outcome), encoding="utf-8")
