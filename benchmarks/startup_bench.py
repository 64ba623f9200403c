"""Start-up: whole-process times of the commands and of the program, each beside its floor.

    startup_bench.py [--rounds N] [--before DIR] [--only commands|gui] [--db URL]

Every run is a fresh process, timed from start to exit, its peak resident memory read from the
kernel (`wait4`). The rounds are interleaved (one run of each, then again), so that a busy
moment on a shared machine falls on all of them alike; medians are printed.

commands: the commands that need no database (checklist, items, score FILE, report FILE,
    letter FILE), and one that does (score ID), each beside a bare `python -c pass` and a bare
    import of the modules the command really needs (`python -c "import …"`).
gui: `safetycheck gui --smoke` on a database of people (--db; by default the demo person),
    which quits once the people list is in, beside a bare QWizard that quits once it has
    painted (gui_bench.py bare); then a full walkthrough's memory (gui_bench.py walkthrough)
    beside the bare QWizard's.

With --before DIR (an older checkout unpacked, e.g. `git archive COMMIT | tar -x -C DIR`, with
`safetycheck_ui` and `safetycheck_data` links to its ui/ and data/), every program run is also
made from DIR (on PYTHONPATH), in the same rounds: before and after side by side.

Bytecode is written and used as for an installed program (PYTHONDONTWRITEBYTECODE is dropped
for the children; the warm-up run writes it): compiling the program's modules on every start
would add 100-300 ms that no user pays.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

PY = sys.executable
HERE = Path(__file__).resolve().parent

# What each command needs, imported bare: the command line and the use cases it calls.
REPORTS = "safetycheck.cli, safetycheck.services.reports"
NEEDS = {
    "checklist": REPORTS,
    "items": "safetycheck.cli, safetycheck.exchange.items_json",
    "score FILE": "safetycheck.cli, safetycheck.services.scoring, "
    "safetycheck.exchange.result_json, safetycheck.reports.summary_text",
    "report FILE": REPORTS,
    "letter FILE": "safetycheck.cli, safetycheck.services.letters",
    "score ID (database)": "safetycheck.cli, safetycheck.services.scoring, "
    "safetycheck.exchange.result_json, safetycheck.reports.summary_text, "
    "safetycheck.services.assessments, safetycheck.store.database, "
    "safetycheck.store.unit_of_work",
}


@dataclass
class Timed:
    """One command, run again and again: wall seconds, peak MB, the JSON it printed last."""

    name: str
    command: list[str]
    pythonpath: str | None = None
    seconds: list[float] = field(default_factory=list)
    peak_mb: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)  # user + system seconds, all threads
    printed: list[dict[str, object]] = field(default_factory=list)

    def run(self, env: dict[str, str]) -> None:
        if self.pythonpath is not None:
            env = {**env, "PYTHONPATH": self.pythonpath}
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as errors:
            started = time.perf_counter()
            # From a neutral folder: `python -m` and `-c` put the current folder first on the
            # path, which would shadow --before's checkout from this one's.
            process = subprocess.Popen(
                self.command, stdout=out, stderr=errors, env=env, cwd=tempfile.gettempdir()
            )
            _, status, usage = os.wait4(process.pid, 0)
            self.seconds.append(time.perf_counter() - started)
            process.returncode = code = os.waitstatus_to_exitcode(status)
            out.seek(0)
            errors.seek(0)
            assert code == 0, (self.command, code, errors.read().decode(errors="replace"))
            last = out.read().decode().strip().splitlines()[-1:]
        if last and last[0].startswith("{"):
            self.printed.append(json.loads(last[0]))
        self.peak_mb.append(usage.ru_maxrss / 1024)
        self.cpu.append(usage.ru_utime + usage.ru_stime)

    def median_ms(self) -> float:
        return statistics.median(self.seconds) * 1000

    def cpu_ms(self) -> float:
        return statistics.median(self.cpu) * 1000

    def median_of(self, key: str) -> float:
        return statistics.median(float(str(p[key])) for p in self.printed)

    def clear(self) -> None:
        self.seconds.clear()
        self.peak_mb.clear()
        self.cpu.clear()
        self.printed.clear()


def run_rounds(timed: list[Timed], rounds: int, env: dict[str, str]) -> None:
    for one in timed:  # one warm-up each: file cache, bytecode
        one.run(env)
        one.clear()
    for _ in range(rounds):
        for one in timed:
            one.run(env)


def peak_of(one: Timed) -> float:
    """Peak memory, as the kernel counted it for the whole process."""
    return statistics.median(one.peak_mb)


def demo_files(work: Path, env: dict[str, str], before: Path | None) -> tuple[str, str, Path]:
    """A demo database, its newest visit's id, and that visit as a file. With an older
    checkout beside this one, the file is written by the older one, so both can read it."""
    db = f"sqlite:///{work / 'demo.sqlite3'}"
    made = subprocess.run(
        [PY, "-m", "safetycheck", "--db", db, "demo"],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        cwd=tempfile.gettempdir(),
    )
    visit = work / "visit.json"
    exporter = {**env, "PYTHONPATH": str(before.resolve())} if before else env
    subprocess.run(
        [PY, "-m", "safetycheck", "--db", db, "export", made.stdout.strip(), "-o", str(visit)],
        check=True,
        env=exporter,
        cwd=tempfile.gettempdir(),
    )
    return db, made.stdout.strip(), visit


def commands(args: argparse.Namespace, work: Path, env: dict[str, str]) -> None:
    db, ident, visit = demo_files(work, env, args.before)
    sc = [PY, "-m", "safetycheck"]
    runs = {
        "checklist": [*sc, "checklist", "-o", str(work / "blank.pdf")],
        "items": [*sc, "items", "--json"],
        "score FILE": [*sc, "score", str(visit)],
        "report FILE": [*sc, "report", str(visit), "-o", str(work / "plan.pdf")],
        "letter FILE": [*sc, "letter", str(visit), "-o", str(work / "letter.pdf")],
        "score ID (database)": [*sc, "--db", db, "score", ident],
    }
    bare = Timed("python -c pass", [PY, "-c", "pass"])
    after = [Timed(name, command) for name, command in runs.items()]
    needs = [Timed(name, [PY, "-c", f"import {NEEDS[name]}"]) for name in runs]
    before = [Timed(t.name, t.command, str(args.before.resolve())) for t in after if args.before]
    run_rounds([bare, *after, *needs, *before], args.rounds, env)
    print(
        f"commands: {args.rounds} rounds, interleaved, medians; python -c pass: "
        f"{bare.median_ms():.0f} ms, CPU {bare.cpu_ms():.0f} ms"
    )
    print(
        "| command | before ms | before MB | whole process ms | peak MB | "
        "bare import of what it needs ms | ratio to the import | CPU ms: before, after, import |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for n, command in enumerate(after):
        old = f"{before[n].median_ms():.0f} | {peak_of(before[n]):.0f}" if before else "- | -"
        print(
            f"| `{command.name}` | {old} | {command.median_ms():.0f} | {peak_of(command):.0f} | "
            f"{needs[n].median_ms():.0f} | {command.median_ms() / needs[n].median_ms():.2f} | "
            f"{before[n].cpu_ms() if before else 0:.0f}, {command.cpu_ms():.0f}, "
            f"{needs[n].cpu_ms():.0f} |"
        )


def gui(args: argparse.Namespace, work: Path, env: dict[str, str]) -> None:
    env = {**env, "QT_QPA_PLATFORM": "offscreen"}
    db, _, _ = demo_files(work, env, args.before)
    people_db = args.db or db
    bare = Timed("bare QWizard", [PY, str(HERE / "gui_bench.py"), "bare"])
    smoke = [PY, "-m", "safetycheck", "--db", people_db, "gui", "--smoke"]
    after = Timed("safetycheck gui --smoke", smoke)
    before = Timed("before", smoke, str(args.before.resolve())) if args.before else None
    run_rounds([bare, after, *([before] if before else [])], args.rounds, env)
    walk = [PY, str(HERE / "gui_bench.py"), "walkthrough", db]
    walks = [Timed("walkthrough", walk)]
    if args.before:
        walks.append(Timed("walkthrough before", walk, str(args.before.resolve())))
    run_rounds(walks, max(1, args.rounds // 3), env)

    print(f"program: {args.rounds} rounds, interleaved, medians; database {people_db}")
    print("| what | before | after | bare QWizard | after / bare |")
    print("|---|---|---|---|---|")
    paint = bare.median_of("first_paint_ms")

    def row(what: str, old: float | None, new: float, base: float, unit: str = "ms") -> None:
        was = f"{old:.0f} {unit}" if old is not None else "-"
        print(f"| {what} | {was} | {new:.0f} {unit} | {base:.0f} {unit} | {new / base:.2f} |")

    row(
        "first paint (from the program's first line)",
        before.median_of("startup_ms") if before else None,
        after.median_of("startup_ms"),
        paint,
    )
    row(
        "people list in (from the program's first line)",
        before.median_of("ready_ms") if before else None,
        after.median_of("ready_ms"),
        paint,
    )
    row(
        "whole process: `gui --smoke` ends once the list is in; the bare wizard once painted",
        before.median_ms() if before else None,
        after.median_ms(),
        bare.median_ms(),
    )
    row(
        "CPU time of that whole process (what a quiet machine would take)",
        before.cpu_ms() if before else None,
        after.cpu_ms(),
        bare.cpu_ms(),
    )
    row(
        "peak memory, people list in",
        peak_of(before) if before else None,
        peak_of(after),
        peak_of(bare),
        "MB",
    )
    old_walk = walks[1] if len(walks) > 1 else None
    row(
        "peak memory after a full walkthrough",
        peak_of(old_walk) if old_walk else None,
        peak_of(walks[0]),
        peak_of(bare),
        "MB",
    )
    for one in walks:
        stages = one.printed[-1]["resident_mb"]
        files = one.printed[-1]["line_cache_files"]
        print(f"{one.name}: resident MB at each stage {stages}; line cache files {files}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--before", type=Path, help="an older checkout to run beside this one")
    parser.add_argument("--only", choices=["commands", "gui"])
    parser.add_argument("--db", help="the database of people for the program (default: demo)")
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryDirectory() as folder:
        if args.only in (None, "commands"):
            commands(args, Path(folder), env)
        if args.only in (None, "gui"):
            gui(args, Path(folder), env)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
