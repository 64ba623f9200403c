"""The lists at a practice's scale: `.venv/bin/python benchmarks/scale.py` (or
`benchmarks/run.py --only scale`).

Builds databases of 2,000, 20,000 and 100,000 people (one visit each, no answers: the lists
read people and visits, never answers) and caches them in benchmarks/.cache/, keyed by the
schema (HEAD_REVISION and a digest of the migration scripts) and the loader's version. The
rows go in through Core bulk INSERTs, as run.py's `fill()` does, so the triggers and indexes
of the schema are kept as any insert keeps them. With `--db URL` (PostgreSQL) one database per
size is made on that server beside the one named (`<name>_2000`…).

At each size, next to `SELECT 1` in a unit of work (measured in the same run, on the same
database): the first page of people; a page whose cursor is near the end of the list (the SQL
a user's scrolling costs there; walking to it is not measured); searches: a rare substring,
a common one, two characters (common, and matching nobody: the worst case, a scan); and
`safetycheck list --json` as a whole process (wall time, next to `python -c pass`). Then the
growth between sizes. `--readers` adds, on SQLite, a reader's page while a writer holds its
write transaction: read-only units of work (deferred BEGIN) against a unit of work that
begins IMMEDIATE, as every read did before.

The same file runs the code of the tree it is in (its parent folder goes first on sys.path
and on the commands' PYTHONPATH), so an older tree's figures can be taken with a copy of it:
`git archive HEAD | tar -x -C /tmp/old; cp benchmarks/scale.py /tmp/old/benchmarks/`.
"""

from __future__ import annotations

import argparse
import hashlib
import inspect
import itertools
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, event, insert, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from safetycheck.content import Content, load_content  # noqa: E402
from safetycheck.services import assessments as visits  # noqa: E402
from safetycheck.services.people import list_people  # noqa: E402
from safetycheck.services.workspace import Workspace, open_workspace  # noqa: E402
from safetycheck.store.database import Database  # noqa: E402
from safetycheck.store.records import AssessmentRecord, HomeRecord, PersonRecord  # noqa: E402
from safetycheck.store.schema import HEAD_REVISION  # noqa: E402
from safetycheck.store.unit_of_work import UnitOfWork, fold, new_id  # noqa: E402

SIZES = (2_000, 20_000, 100_000)
LOADER = "1"  # change when what is loaded changes
FIRST = ["Ada", "Ben", "Carmen", "Dev", "Elif", "Farid", "Grace", "Hiro", "Ines", "José", "Kofi"]
FIRST += ["Lena", "Mateo", "Nora", "Olu", "Priya", "Quinn", "Rosa", "Sven", "Tomás", "Uma"]
LAST = ["Smith", "Álvarez", "Nguyen", "O'Brien", "Kowalski", "Okafor", "Müller", "Rossi"]
LAST += ["Sato", "Haddad", "Johansson", "Fernández", "Byrne", "Patel", "Dubois", "Novak"]
SEARCHES = (
    ("search, rare substring ('0042')", "0042"),
    ("search, common substring ('ros')", "ros"),
    ("search, 2 characters, common ('ro')", "ro"),
    ("search, 2 characters, none match ('zq')", "zq"),
)
KEYSET = "after" in inspect.signature(list_people).parameters  # this tree pages by cursor


def db(ws: Workspace) -> Database:
    assert ws.database is not None
    return ws.database


def schema_key() -> str:
    scripts = sorted((ROOT / "safetycheck" / "store" / "migrations" / "versions").glob("*.py"))
    digest = hashlib.sha256(b"".join(path.read_bytes() for path in scripts)).hexdigest()
    return f"{HEAD_REVISION}-{digest[:10]}-{LOADER}"


# ---- building -----------------------------------------------------------------------------------


def fill(ws: Workspace, content: Content, people: int) -> None:
    """People with one visit each, in batches of Core INSERTs (dates over ten years)."""
    rng = random.Random(2026)
    engine = db(ws).engine
    now = datetime(2026, 1, 1, tzinfo=UTC)
    batch: dict[type[Any], list[dict[str, Any]]] = {}
    for n in range(people):
        person_id, home_id = new_id(), new_id()
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)} {n:04d}"
        made = now + timedelta(seconds=n)
        batch.setdefault(PersonRecord, []).append(
            {
                "id": person_id,
                "name": name,
                "name_folded": fold(name),
                "birth_year": rng.randint(1925, 1960),
                "notes": "",
                "created_at": made,
                "updated_at": made,
                "version": 1,
            }
        )
        batch.setdefault(HomeRecord, []).append(
            {"id": home_id, "person_id": person_id, "label": "Home"}
        )
        finished = rng.random() < 0.8
        batch.setdefault(AssessmentRecord, []).append(
            {
                "id": new_id(),
                "person_id": person_id,
                "home_id": home_id,
                "visit_date": date(2016, 1, 1) + timedelta(days=rng.randint(0, 3650)),
                "assessor_name": "Bench OT",
                "assessor_role": "ot",
                "mode": "ot",
                "status": "completed" if finished else "in_progress",
                "checklist_version": content.checklist.version,
                "model_version": content.model.version,
                "resume_at": "",
                "created_at": made,
                "updated_at": made,
                "completed_at": made if finished else None,
                "result_level": "moderate" if finished else None,
                "result_score": rng.randint(5, 60) if finished else None,
                "version": 1,
            }
        )
        if len(batch[PersonRecord]) == 10_000 or n == people - 1:
            with engine.begin() as connection:
                for record in (PersonRecord, HomeRecord, AssessmentRecord):
                    connection.execute(insert(record), batch[record])
            batch = {}


def size_url(base: str | None, people: int) -> str:
    if base is None:
        cache = HERE / ".cache"
        cache.mkdir(exist_ok=True)
        return f"sqlite:///{cache / f'scale-{schema_key()}-{people}.sqlite3'}"
    url = make_url(base)
    name = f"{url.database or 'postgres'}_{people}"
    server = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        found = connection.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
        ).first()
        if found is None:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    server.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def built(base: str | None, people: int, content: Content) -> tuple[Workspace, str]:
    """The database of `people` people (built, or rebuilt when its schema is not this one's)."""
    url = size_url(base, people)
    if base is not None:
        engine = create_engine(url)
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE IF NOT EXISTS scale_bench (key text)"))
            key = connection.execute(text("SELECT key FROM scale_bench")).scalar()
            if key != schema_key():
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
                connection.execute(text("CREATE TABLE scale_bench (key text)"))
        engine.dispose()
    ws = open_workspace(url, content)
    with UnitOfWork(db(ws)) as uow:
        count = uow.session.scalar(text("SELECT count(*) FROM people")) or 0
    if count != people:
        if count:
            raise SystemExit(f"{url} holds {count} people, not {people}: remove it")
        started = time.perf_counter()
        fill(ws, content, people)
        if base is not None:
            with db(ws).engine.begin() as connection:
                connection.execute(text("INSERT INTO scale_bench VALUES (:k)"), {"k": schema_key()})
                connection.exec_driver_sql("ANALYZE")
        else:
            with db(ws).engine.begin() as connection:
                connection.exec_driver_sql("ANALYZE")
        print(f"built {people} people in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return ws, url


# ---- measuring ----------------------------------------------------------------------------------


def timed(action: Callable[[], object], rounds: int, warmup: int = 3) -> list[float]:
    for _ in range(warmup):
        action()
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    return samples


def ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


@dataclass
class Measured:
    size: int
    rows: dict[str, float] = field(default_factory=dict)  # operation -> median ms
    sql: dict[str, float] = field(default_factory=dict)  # operation -> median ms of its SQL
    found: dict[str, int] = field(default_factory=dict)  # search -> rows on its first page


def sql_of(ws: Workspace, action: Callable[[], object]) -> list[tuple[str, Any]]:
    """The SELECTs a use case runs (not its BEGIN, settings or SELECT 1)."""
    seen: list[tuple[str, Any]] = []

    def record(_c: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    event.listen(db(ws).engine, "before_cursor_execute", record)
    try:
        action()
    finally:
        event.remove(db(ws).engine, "before_cursor_execute", record)
    return seen


def sql_timed(ws: Workspace, action: Callable[[], object], rounds: int) -> list[float]:
    """The time of a use case's statements alone, run again on one connection (driver and
    database; no ORM, no unit of work)."""
    statements = sql_of(ws, action)
    with db(ws).engine.connect() as connection:

        def run() -> None:
            for statement, parameters in statements:
                connection.exec_driver_sql(statement, parameters).fetchall()

        samples = timed(run, rounds)
        connection.rollback()
    return samples


def near_the_end(ws: Workspace, people: int) -> Callable[[], object]:
    """The people page that starts 50 rows before the end of the list."""
    if not KEYSET:  # the tree before keyset paging (for the "before" figures): OFFSET paging
        return lambda: list_people(ws, offset=people - 50, limit=50)  # type: ignore[call-arg]
    from safetycheck.store.repositories import encode_cursor

    with UnitOfWork(db(ws), read_only=True) as uow:
        row = uow.session.execute(
            text(
                "SELECT name_folded, id FROM people ORDER BY name_folded DESC, id DESC "
                "LIMIT 1 OFFSET 50"
            )
        ).one()
    cursor = encode_cursor(row.name_folded, row.id)  # what a page ending on that row hands out
    return lambda: list_people(ws, after=cursor, limit=50)


def list_process(url: str, runs: int) -> list[float]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "safetycheck", "--db", url, "list", "--json"]
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)
        samples.append(time.perf_counter() - started)
    return samples


def measure(ws: Workspace, url: str, people: int, rounds: int, list_runs: int) -> Measured:
    result = Measured(people)

    def select_one() -> None:
        with UnitOfWork(db(ws), read_only=True) as uow:
            uow.session.execute(text("SELECT 1")).scalar()

    result.rows["SELECT 1 unit of work (baseline)"] = ms(timed(select_one, rounds))
    operations: list[tuple[str, Callable[[], object]]] = [
        ("people, first page (50)", lambda: list_people(ws, limit=50)),
        ("people, a page near the end (50)", near_the_end(ws, people)),
    ]
    for name, search in SEARCHES:
        result.found[name] = len(list_people(ws, search=search, limit=50).items)
        operations.append((name, partial(list_people, ws, search=search, limit=50)))
    operations.append(
        ("visits, search rare ('0042')", lambda: visits.list_assessments(ws, search="0042"))
    )
    for name, action in operations:
        result.rows[name] = ms(timed(action, rounds))
        result.sql[name] = ms(sql_timed(ws, action, rounds))
    if list_runs:
        bare = [sys.executable, "-c", "pass"]
        result.rows["python -c pass (baseline)"] = ms(
            [_wall(lambda: subprocess.run(bare, check=True)) for _ in range(3)]
        )
        result.rows["safetycheck list --json (whole process)"] = ms(list_process(url, list_runs))
    return result


def _wall(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


# ---- a reader while a writer holds its write transaction (SQLite) -----------------------------


@contextmanager
def writer_holding(ws: Workspace, hold: float) -> Iterator[threading.Event]:
    """A writer that takes the write lock, writes a row and keeps its transaction `hold`
    seconds before it commits, in a thread; yields once the lock is held."""
    holding = threading.Event()

    def write() -> None:
        with UnitOfWork(db(ws)) as uow:
            uow.session.execute(text("UPDATE people SET notes = notes WHERE rowid = 1"))
            holding.set()
            time.sleep(hold)
            uow.commit()

    thread = threading.Thread(target=write)
    thread.start()
    holding.wait()
    try:
        yield holding
    finally:
        thread.join()


def reader_rows(ws: Workspace, rounds: int, hold: float = 0.2) -> dict[str, float]:
    def page(read_only: bool) -> None:
        # (The tree before keyset paging, for the "before" figures, takes an offset instead.)
        with UnitOfWork(db(ws), read_only=read_only) as uow:
            uow.people.page("", None, 50) if KEYSET else uow.people.page("", 0, 50)  # type: ignore[arg-type]

    found: dict[str, float] = {}
    for label, read_only in (
        ("reader's page, writer holding (BEGIN IMMEDIATE, as before)", False),
        ("reader's page, writer holding (deferred BEGIN, now)", True),
    ):
        samples = []
        for _ in range(rounds):
            with writer_holding(ws, hold):
                started = time.perf_counter()
                page(read_only)
                samples.append(time.perf_counter() - started)
        found[label] = ms(samples)
    found[f"(the writer holds its transaction {hold * 1000:.0f} ms)"] = hold * 1000
    return found


# ---- report -------------------------------------------------------------------------------------


def print_table(measured: list[Measured], url_kind: str) -> None:
    sizes = [m.size for m in measured]
    print(f"database: {url_kind}; code: {'keyset' if KEYSET else 'offset'} paging ({ROOT})")
    print("medians in ms: the use case (unit of work and all), and [its SQL alone]")
    header = "| operation | " + " | ".join(f"{s:,}" for s in sizes) + " | growth |"
    print(header)
    print("|" + "---|" * (len(sizes) + 2))
    for name in measured[0].rows:
        values = [m.rows.get(name) for m in measured]
        cells = []
        for m, value in zip(measured, values, strict=True):
            cell = f"{value:.2f}" if value is not None else "-"
            if name in m.sql:
                cell += f" [{m.sql[name]:.2f}]"
            cells.append(cell)
        known = [v for v in values if v is not None]
        growth = (
            " → ".join(f"×{b / a:.1f}" for a, b in itertools.pairwise(known))
            if len(known) > 1 and all(known)
            else ""
        )
        print(f"| {name} | " + " | ".join(cells) + f" | {growth} |")
    for name in measured[0].found:
        print(f"  {name}: first page holds " + ", ".join(str(m.found[name]) for m in measured))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="a PostgreSQL URL (default: cached SQLite files)")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="e.g. 2000,20000")
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--list-runs", type=int, default=3, help="list --json runs per size")
    parser.add_argument(
        "--list-up-to", type=int, default=100_000, help="no list --json above this many people"
    )
    parser.add_argument("--readers", action="store_true", help="the reader/writer rows (SQLite)")
    args = parser.parse_args(argv)
    content = load_content()
    measured = []
    readers: dict[str, float] = {}
    for people in (int(s) for s in args.sizes.split(",")):
        ws, url = built(args.db, people, content)
        try:
            runs = args.list_runs if people <= args.list_up_to else 0
            measured.append(measure(ws, url, people, args.rounds, runs))
            if args.readers and db(ws).sqlite_path is not None and people == SIZES[0]:
                readers = reader_rows(ws, 10)
        finally:
            ws.close()
    print_table(measured, "PostgreSQL" if args.db else "SQLite")
    for name, value in readers.items():
        print(f"| {name} | {value:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
