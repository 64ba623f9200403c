"""Runs every benchmark and prints a table: `.venv/bin/python benchmarks/run.py`.

Storage: a database of 2,000 people with 5 visits each (every visit fully answered, about 100
answers) is built once and cached in benchmarks/.cache/. Each operation runs many times; the
table shows the median and the 95th percentile next to a baseline measured in the same run on the
same database (these machines are noisy, so compare ratios, not raw numbers across runs).

Options: --db URL (another database, e.g. PostgreSQL; it is filled if empty), --rounds N.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from sqlalchemy import insert, text  # noqa: E402

from safetycheck.content import Content, load_content  # noqa: E402
from safetycheck.domain.assessment import Assessment  # noqa: E402
from safetycheck.domain.evaluation import evaluate  # noqa: E402
from safetycheck.exchange.assessment_json import assessment_to_document  # noqa: E402
from safetycheck.services import assessments as visits  # noqa: E402
from safetycheck.services.people import list_people  # noqa: E402
from safetycheck.services.workspace import Workspace, open_workspace  # noqa: E402
from safetycheck.store.records import (  # noqa: E402
    AnswerRecord,
    AssessmentRecord,
    HomeRecord,
    PersonRecord,
    RoomRecord,
)
from safetycheck.store.schema import HEAD_REVISION  # noqa: E402
from safetycheck.store.unit_of_work import UnitOfWork, fold, new_id  # noqa: E402

PEOPLE = 2000
VISITS = 5
FIRST = [
    "Ada",
    "Ben",
    "Carmen",
    "Dev",
    "Elif",
    "Farid",
    "Grace",
    "Hiro",
    "Ines",
    "José",
    "Kofi",
    "Lena",
    "Mateo",
    "Nora",
    "Olu",
    "Priya",
    "Quinn",
    "Rosa",
    "Sven",
    "Tomás",
    "Uma",
    "Vera",
]
LAST = [
    "Smith",
    "Álvarez",
    "Nguyen",
    "O'Brien",
    "Kowalski",
    "Okafor",
    "Müller",
    "Rossi",
    "Sato",
    "Haddad",
    "Johansson",
    "Fernández",
    "Byrne",
    "Patel",
    "Dubois",
    "Novak",
    "Costa",
    "Ahmed",
]


@dataclass
class Row:
    name: str
    samples: list[float]
    target_ms: float | None
    baseline: str = ""
    baseline_samples: list[float] | None = None
    memory_mb: float | None = None
    memory_target: float = 200.0

    def median(self) -> float:
        return statistics.median(self.samples) * 1000

    def p95(self) -> float:
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] * 1000


def timed(action: Callable[[], object], rounds: int, warmup: int = 3) -> list[float]:
    for _ in range(warmup):
        action()
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return samples


def fill(ws: Workspace, content: Content) -> None:
    """Bulk-load the benchmark data straight through the records (the setup is not measured)."""
    rng = random.Random(2026)
    checklist = content.checklist
    kinds = [k for k in checklist.room_kinds if k.default_present] + [checklist.room_kind("stairs")]
    now = datetime(2026, 1, 1, tzinfo=UTC)
    engine = ws.database.engine
    people, homes, assessments, rooms, answers = [], [], [], [], []
    for n in range(PEOPLE):
        person_id, home_id = new_id(), new_id()
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)} {n:04d}"
        people.append(
            {
                "id": person_id,
                "name": name,
                "name_folded": fold(name),
                "birth_year": rng.randint(1925, 1960),
                "notes": "",
                "created_at": now,
                "updated_at": now,
                "version": 1,
            }
        )
        homes.append({"id": home_id, "person_id": person_id, "label": "Home"})
        keys = [new_id() for _ in kinds]
        for v in range(VISITS):
            assessment_id = new_id()
            day = date(2022, 1, 1) + timedelta(days=200 * v + rng.randint(0, 100))
            assessments.append(
                {
                    "id": assessment_id,
                    "person_id": person_id,
                    "home_id": home_id,
                    "visit_date": day,
                    "assessor_name": "Bench OT",
                    "assessor_role": "ot",
                    "mode": "ot",
                    "status": "completed" if v < VISITS - 1 else "in_progress",
                    "checklist_version": checklist.version,
                    "model_version": content.model.version,
                    "resume_at": "",
                    "created_at": now,
                    "updated_at": now,
                    "completed_at": None,
                    "result_level": "moderate",
                    "result_score": 30,
                    "version": 1,
                }
            )
            room_ids = []
            for position, (kind, key) in enumerate(zip(kinds, keys, strict=True)):
                room_id = new_id()
                room_ids.append((room_id, kind.id))
                rooms.append(
                    {
                        "id": room_id,
                        "assessment_id": assessment_id,
                        "room_key": key,
                        "kind": kind.id,
                        "name": kind.name,
                        "position": position,
                        "night_route": kind.night_route_default,
                        "stairs_daily": kind.stairs,
                    }
                )
            for item in checklist.items:
                slots = (
                    [None]
                    if item.person_level
                    else [rid for rid, kind_id in room_ids if item.applies_to_room(kind_id)]
                )
                for room_id in slots:
                    if item.type.value == "measure":
                        text_value, number = None, float(rng.randint(100, 1000))
                    else:
                        text_value, number = rng.choice(item.allowed_values()), None
                    answers.append(
                        {
                            "id": new_id(),
                            "assessment_id": assessment_id,
                            "item_id": item.id,
                            "room_id": room_id,
                            "value_text": text_value,
                            "value_number": number,
                            "unit": "mm" if number is not None else "",
                            "note": "",
                            "answered_at": now,
                            "version": 1,
                        }
                    )
        if len(answers) > 50_000 or n == PEOPLE - 1:
            with engine.begin() as connection:
                for table, rows in (
                    (PersonRecord, people),
                    (HomeRecord, homes),
                    (AssessmentRecord, assessments),
                    (RoomRecord, rooms),
                    (AnswerRecord, answers),
                ):
                    if rows:
                        connection.execute(insert(table), rows)
            people, homes, assessments, rooms, answers = [], [], [], [], []


def build_database(url: str | None, content: Content) -> tuple[Workspace, str]:
    if url is None:
        cache = HERE / ".cache"
        cache.mkdir(exist_ok=True)
        path = cache / f"bench-{HEAD_REVISION}-{content.checklist.version}.sqlite3"
        url = f"sqlite:///{path}"
    ws = open_workspace(url, content)
    with UnitOfWork(ws.database) as uow:
        count = uow.session.scalar(text("SELECT count(*) FROM people")) or 0
    if count < PEOPLE:
        started = time.perf_counter()
        fill(ws, content)
        print(
            f"built the benchmark database in {time.perf_counter() - started:.1f} s",
            file=sys.stderr,
        )
    return ws, url


def storage_rows(ws: Workspace, rounds: int) -> list[Row]:
    rng = random.Random(7)
    with UnitOfWork(ws.database) as uow:
        ids = list(uow.session.scalars(text("SELECT id FROM assessments")))
        in_progress = list(
            uow.session.scalars(
                text("SELECT id FROM assessments WHERE status = 'in_progress' LIMIT 200")
            )
        )

    def select_one() -> None:
        with UnitOfWork(ws.database) as uow:
            uow.session.execute(text("SELECT 1")).scalar()

    baseline = timed(select_one, rounds)
    rows = [
        Row(
            "list people, first page (50)",
            timed(lambda: list_people(ws, limit=50), rounds),
            50,
            "one SELECT 1 unit of work",
            baseline,
        ),
        Row(
            "search people by name ('álv')",
            timed(lambda: list_people(ws, search="álv", limit=50), rounds),
            50,
            "one SELECT 1 unit of work",
            baseline,
        ),
        Row(
            "load one full visit (~100 answers)",
            timed(lambda: visits.load_assessment(ws, rng.choice(ids)), rounds),
            30,
            "one SELECT 1 unit of work",
            baseline,
        ),
    ]

    receipts: dict[tuple[str, str | None], int] = {}
    values = ["yes", "no"]

    def answer_one() -> None:
        target = rng.choice(in_progress)
        key = (target, "steadi.si.05")
        version = receipts.get(key)
        if version is None:
            version = visits.load_visit(ws, target).versions.get(("steadi.si.05", None))
        receipt = visits.record_answer(
            ws, target, "steadi.si.05", None, rng.choice(values), expected_version=version
        )
        receipts[key] = receipt.version

    answer_rows = Row("record one answer (durable)", timed(answer_one, rounds), 10)
    assert ws.database is not None
    if ws.database.sqlite_path is not None:
        answer_rows.baseline = "raw sqlite3 INSERT+COMMIT, WAL, synchronous=FULL"
        answer_rows.baseline_samples = raw_commit_samples(ws.database.sqlite_path, rounds)
    rows.append(answer_rows)

    loaded = visits.load_assessment(ws, ids[0])
    content = ws.content

    def score_one() -> None:
        evaluate(content, loaded)

    rows.append(
        Row(
            "score one visit (+ action plan)",
            timed(score_one, rounds * 5),
            5,
            "JSON round trip of the same visit",
            timed(lambda: json_round_trip(loaded), rounds * 5),
        )
    )
    return rows


def json_round_trip(assessment: Assessment) -> None:
    json.loads(json.dumps(assessment_to_document(assessment)))


def raw_commit_samples(path: Path, rounds: int) -> list[float]:
    scratch = path.with_name("raw-commit.sqlite3")
    connection = sqlite3.connect(scratch, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=FULL")
    connection.execute("CREATE TABLE IF NOT EXISTS t (x TEXT)")

    def commit() -> None:
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("INSERT INTO t VALUES ('yes')")
        connection.execute("COMMIT")

    samples = timed(commit, rounds)
    connection.close()
    return samples


def report_rows(workdir: Path) -> list[Row]:
    """Render times from reports_bench.py (own process), then whole commands with peak memory."""
    large = workdir / "large-visit.json"
    out = subprocess.run(
        [sys.executable, str(HERE / "reports_bench.py"), str(large)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    measured = json.loads(out)
    rows = [
        Row(name, samples, target * 1000 if target else None)
        for name, samples, target in measured["rows"]
    ]
    baseline = rows.pop(0)
    for row in rows:
        row.baseline, row.baseline_samples = baseline.name, baseline.samples

    def peak(command: list[str]) -> tuple[float, float]:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0, command
        return time.perf_counter() - started, usage.ru_maxrss / 1024

    python_import = [sys.executable, "-c", "import safetycheck.services.reports"]
    base_seconds, base_mb = peak(python_import)
    for name, command in (
        (
            "safetycheck report, large visit (whole run)",
            [
                sys.executable,
                "-m",
                "safetycheck",
                "report",
                str(large),
                "-o",
                str(workdir / "large.pdf"),
            ],
        ),
        (
            "safetycheck checklist --mode ot (whole run)",
            [
                sys.executable,
                "-m",
                "safetycheck",
                "checklist",
                "--mode",
                "ot",
                "-o",
                str(workdir / "blank.pdf"),
            ],
        ),
    ):
        seconds, megabytes = peak(command)
        row = Row(
            f"{name}",
            [seconds],
            None,
            f"importing the report code: {base_seconds * 1000:.0f} ms, {base_mb:.0f} MB",
            None,
        )
        row.memory_mb = megabytes
        rows.append(row)
    return rows


def gui_rows(db_url: str, workdir: Path, runs: int = 5) -> list[Row]:
    """The desktop program next to a bare QWizard, all in fresh processes, offscreen. With
    bytecode written and used, as for an installed program (PYTHONDONTWRITEBYTECODE would have
    every start compile the program's modules again); startup_bench.py has the details."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)

    def child(command: list[str]) -> tuple[dict[str, float], float]:
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env
        )
        assert process.stdout is not None
        output = process.stdout.read()
        _, status, usage = os.wait4(process.pid, 0)
        process.stdout.close()
        assert os.waitstatus_to_exitcode(status) == 0, command
        return json.loads(output.strip().splitlines()[-1]), usage.ru_maxrss / 1024

    child([sys.executable, "-m", "safetycheck", "--db", db_url, "gui", "--smoke"])  # bytecode
    bare = [child([sys.executable, str(HERE / "gui_bench.py"), "bare"]) for _ in range(runs)]
    ours = [
        child([sys.executable, "-m", "safetycheck", "--db", db_url, "gui", "--smoke"])
        for _ in range(runs)
    ]
    bare_paint = [b["first_paint_ms"] / 1000 for b, _ in bare]
    bare_mb = statistics.median(mb for _, mb in bare)
    rows = [
        Row(
            "main window first paint (2,000 people)",
            [o["startup_ms"] / 1000 for o, _ in ours],
            2 * statistics.median(bare_paint) * 1000,
            "bare QWizard show + first paint",
            bare_paint,
        )
    ]
    rows.append(
        Row(
            "main window with the people list in",
            [o["ready_ms"] / 1000 for o, _ in ours],
            None,
            "bare QWizard show + first paint",
            bare_paint,
        )
    )
    walk_db = f"sqlite:///{workdir / 'walk.sqlite3'}"
    # An existing database, as on any day but the first (a new one would load Alembic too).
    subprocess.run(
        [sys.executable, "-m", "safetycheck", "--db", walk_db, "demo"],
        check=True,
        capture_output=True,
    )
    walk, walk_mb = child([sys.executable, str(HERE / "gui_bench.py"), "walkthrough", walk_db])
    rows.append(
        Row(
            f"Next -> page painted, first visit ({int(walk['pages'])} pages)",
            [walk["next_first_median_ms"] / 1000],
            16,
        )
    )
    rows.append(
        Row("Next -> page painted, pages seen before", [walk["next_again_median_ms"] / 1000], 16)
    )
    memory = Row(
        "peak memory after a full walkthrough", [0.0], None, f"bare QWizard peak {bare_mb:.0f} MB"
    )
    memory.memory_mb = walk_mb
    memory.memory_target = 2 * bare_mb
    rows.append(memory)
    return rows


def print_table(rows: list[Row], url: str) -> None:
    print(
        f"machine: {platform.machine()}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}"
    )
    print(f"database: {url.split('@')[-1]}; {PEOPLE} people x {VISITS} visits")
    header = (
        f"| {'operation':<46} | {'median ms':>9} | {'p95 ms':>7} | {'target':>7} | "
        f"{'met':<3} | baseline (median ms) |"
    )
    print(header)
    print("|" + "|".join("-" * (len(part)) for part in header.split("|")[1:-1]) + "|")
    for row in rows:
        met = "yes" if row.target_ms is None or row.median() < row.target_ms else "NO"
        target = f"< {row.target_ms:g}" if row.target_ms else ""
        base = row.baseline
        if row.baseline_samples:
            base = f"{row.baseline}: {statistics.median(row.baseline_samples) * 1000:.2f}"
        if row.memory_mb is not None:
            met = "yes" if row.memory_mb < row.memory_target else "NO"
            target = f"< {row.memory_target:.0f} MB"
            base = f"peak {row.memory_mb:.0f} MB; {base}"
        print(
            f"| {row.name:<46} | {row.median():>9.2f} | {row.p95():>7.2f} | {target:>7} | "
            f"{met:<3} | {base} |"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="database URL (default: a cached SQLite file)")
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument(
        "--only", choices=["storage", "reports", "gui", "scale"], help="run one group"
    )
    args = parser.parse_args()
    if args.only == "scale":  # not in the default run: it builds 100,000-person databases
        import scale

        return scale.main(["--db", args.db] if args.db else [])
    content = load_content()
    url = "-"
    rows: list[Row] = []
    if args.only in (None, "storage"):
        ws, url = build_database(args.db, content)
        try:
            rows += storage_rows(ws, args.rounds)
        finally:
            ws.close()
    if args.only in (None, "reports"):
        with tempfile.TemporaryDirectory() as workdir:
            rows += report_rows(Path(workdir))
    if args.only in (None, "gui"):
        if url == "-":
            opened, url = build_database(args.db, content)
            opened.close()
        with tempfile.TemporaryDirectory() as workdir:
            rows += gui_rows(url, Path(workdir))
    print_table(rows, url)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
