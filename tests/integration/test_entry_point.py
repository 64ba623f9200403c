"""The real entry point (`python -m safetycheck`): commands that need no database load no
storage code, and the process ends without undoing its imports, with the same output, errors
and exit codes as `main()` in this process."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from support import EXAMPLES, assert_bad_input, cli, run_cli

STORAGE = ("sqlalchemy", "alembic", "psycopg", "psycopg2")
VISIT = EXAMPLES / "recent-faller.json"
BAD_INPUT = {
    "score, no such file",
    "report, bad format",
    "checklist, no folder",
    "checklist over the database",
    "unknown command",
}


def imported(stderr: str) -> tuple[list[str], str]:
    """The modules a `python -X importtime` process imported, and the rest of its stderr."""
    modules, rest = [], []
    for line in stderr.splitlines(keepends=True):
        if line.startswith("import time:"):
            name = line.rsplit("|", 1)[1].strip()
            if name != "imported package":  # the header line
                modules.append(name)
        else:
            rest.append(line)
    return modules, "".join(rest)


def importtime_run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "safetycheck", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def no_database_commands(out: Path) -> dict[str, list[str]]:
    return {
        "checklist": ["checklist", "-o", str(out / "blank.pdf")],
        "checklist ot, password": [
            *("checklist", "--mode", "ot", "-o", str(out / "ot.pdf"), "--password", "secret")
        ],
        "items": ["items"],
        "items --json": ["items", "--json", "--mode", "ot"],
        "score FILE": ["score", str(VISIT)],
        "score FILE --json": ["score", str(VISIT), "--json"],
        "report FILE": ["report", str(VISIT), "-o", str(out / "plan.pdf")],
        "report FILE html": ["report", str(VISIT), "-o", str(out / "plan.html")],
        "letter FILE": ["letter", str(VISIT), "-o", str(out / "letter.pdf")],
        # Bad input: still no storage, and the same one error line.
        "score, no such file": ["score", str(out / "missing.json")],
        "report, bad format": ["report", str(VISIT), "-o", str(out / "p.pdf"), "--format", "html"],
        "checklist, no folder": ["checklist", "-o", str(out / "no" / "such" / "folder.pdf")],
        "checklist over the database": ["checklist", "-o", str(out / "db.sqlite3")],
        "unknown command": ["frobnicate"],
    }


@pytest.fixture
def database_env(tmp_path: Path) -> dict[str, str]:
    """An environment whose database (the default one, through $SAFETYCHECK_DB) is an existing
    file, so that an output naming it is refused: the check itself needs no SQLAlchemy."""
    import os

    database = tmp_path / "db.sqlite3"
    database.write_bytes(b"")
    return {**os.environ, "SAFETYCHECK_DB": f"sqlite:///{database}"}


@pytest.mark.parametrize(
    "name", list(no_database_commands(Path("/"))), ids=list(no_database_commands(Path("/")))
)
def test_a_command_that_needs_no_database_loads_no_storage_code(
    name: str, tmp_path: Path, database_env: dict[str, str]
) -> None:
    args = no_database_commands(tmp_path)[name]
    real = importtime_run(args, database_env)
    modules, stderr = imported(real.stderr)
    assert "safetycheck.cli" in modules  # the import log was read
    assert [m for m in modules if m.split(".")[0] in STORAGE] == []
    # The same outcome as main() in this process: exit code, output, error line.
    for output in tmp_path.glob("*.*"):
        if output.name != "db.sqlite3":
            output.unlink()
    here = cli(*args, env={"SAFETYCHECK_DB": database_env["SAFETYCHECK_DB"]})
    assert (real.returncode, real.stdout, stderr) == (here.returncode, here.stdout, here.stderr)
    if name in BAD_INPUT:
        assert_bad_input(subprocess.CompletedProcess(args, real.returncode, real.stdout, stderr))
    else:
        assert real.returncode == 0, stderr
    assert (tmp_path / "db.sqlite3").read_bytes() == b""  # never written to


def test_a_command_that_uses_the_database_still_loads_it(
    tmp_path: Path, database_env: dict[str, str]
) -> None:
    """The other side of the test above: the import log does show SQLAlchemy when it is used."""
    url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    real = importtime_run(["--db", url, "demo"], database_env)
    modules, stderr = imported(real.stderr)
    assert real.returncode == 0, stderr
    assert "sqlalchemy.orm" in modules


@pytest.mark.parametrize(
    "args",
    [
        ["demo"],
        ["list"],
        ["list", "--json"],
        ["score", "{newest}"],
        ["score", "{newest}", "--json"],
        ["score", "nothing-like-this"],
        ["export", "{newest}", "-o", "{out}/visit.json"],
        ["delete-visit", "nothing-like-this"],
        ["--version"],
    ],
    ids=lambda args: " ".join(args),
)
def test_the_real_process_says_what_main_says(args: list[str], tmp_path: Path) -> None:
    """The process ends at once after main(): nothing printed is lost, the code is main's."""
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    newest = cli("demo", db=url).stdout.strip()
    filled = [a.format(newest=newest, out=tmp_path) for a in args]
    real = run_cli(*filled, db=url)
    if "export" in args:
        written = json.loads((tmp_path / "visit.json").read_bytes())
        (tmp_path / "visit.json").unlink()
    here = cli(*filled, db=url)
    if "demo" in args:  # a new person each time: the same kind of answer
        assert len(real.stdout.strip()) == len(here.stdout.strip()) == len(newest)
        assert real.stdout != here.stdout
    else:
        assert real.stdout == here.stdout
    assert (real.returncode, real.stderr) == (here.returncode, here.stderr)
    if "export" in args:
        again = json.loads((tmp_path / "visit.json").read_bytes())
        written.pop("exported_at"), again.pop("exported_at")  # when it was written
        assert written == again


def test_what_a_command_wrote_is_there_for_the_next_process(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    made = [run_cli("demo", db=url).stdout.strip() for _ in range(2)]
    for newest in made:
        scored = run_cli("score", newest, "--json", db=url)
        assert scored.returncode == 0, scored.stderr
        assert json.loads(scored.stdout)["level"] == "moderate"  # the demo visit, as written


def test_every_exit_handler_still_runs_and_the_code_is_mains(tmp_path: Path) -> None:
    """`run()` skips Python's teardown of its modules, never an atexit handler (logging's
    flush, temporary files, a library's own): one registered before it ran, one while."""
    marker = tmp_path / "handlers.txt"
    code = textwrap.dedent(
        f"""
        import atexit, logging, sys
        from pathlib import Path
        marker = Path({str(marker)!r})
        atexit.register(lambda: marker.open("a").write("before\\n"))
        logging.getLogger().addHandler(logging.FileHandler({str(tmp_path / "log.txt")!r}))
        logging.getLogger().warning("a line in the log")
        import safetycheck.cli as cli
        real_main = cli.main
        def main():
            atexit.register(lambda: marker.open("a").write("during\\n"))
            print("printed, not yet flushed", end="")
            return real_main(["score", sys.argv[1]])
        cli.main = main
        cli.run()
        """
    )
    process = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "missing.json")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert process.returncode == 2
    assert process.stdout == "printed, not yet flushed"
    assert process.stderr.startswith("error: ")
    assert marker.read_text().splitlines() == ["during", "before"]
    assert "a line in the log" in (tmp_path / "log.txt").read_text()


def test_help_ends_the_same_way() -> None:
    real = run_cli("--help")
    assert real.returncode == 0
    assert real.stdout.startswith("usage: safetycheck")
    assert real.stderr == ""


@pytest.mark.parametrize("args", [["list", "--json"], ["list"], ["items", "--json"]])
def test_output_read_by_no_one_ends_quietly(args: list[str], tmp_path: Path) -> None:
    """`safetycheck list | head`: the reader goes away before the output is written. The
    command ends without a traceback (it printed one before), with Python's own code for it."""
    import os

    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    assert run_cli("demo", db=url).returncode == 0
    process = subprocess.Popen(
        [sys.executable, "-m", "safetycheck", "--db", url, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ},
    )
    assert process.stdout is not None
    assert process.stderr is not None
    process.stdout.close()  # before it has started writing: every write finds no reader
    with process.stderr:
        stderr = process.stderr.read().decode()
    assert process.wait(timeout=120) == 120, stderr
    assert stderr == ""
