"""Long lists on a real database (SQLite, and PostgreSQL when a server is given): keyset pages
(each page starts just after the last row of the page before) and the indexed name search,
which finds exactly what a plain "does the folded name contain the folded text" finds.

Timings are the benchmark's (benchmarks/scale.py); here, the plans: each list is read through
the index made for its order, and a search of three characters or more through the trigram
index (SQLite FTS5, PostgreSQL pg_trgm)."""

from __future__ import annotations

import itertools
import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from functools import partial
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event, text
from support import TickingClock, assert_bad_input, cli

from safetycheck.content import Content
from safetycheck.domain.checklist import Mode
from safetycheck.services import assessments as visits
from safetycheck.services import removal
from safetycheck.services.errors import InvalidInputError
from safetycheck.services.pages import Page
from safetycheck.services.people import create_person, edit_person, list_people
from safetycheck.services.workspace import Workspace, open_workspace
from safetycheck.store import repositories
from safetycheck.store.repositories import fold, fts_phrase
from safetycheck.store.schema import HEAD_REVISION

# Names with everything a search could trip over: accents (composed and not), case, letters
# that fold to two (ß, ﬃ), LIKE's wildcards, quotes, FTS5's syntax (", *, ^, :, AND, NEAR(…),
# column filters, parentheses), digits, and names shorter than a trigram.
HOSTILE_NAMES = [
    "José Álvarez",
    "JOSE ALVAREZ",
    "Jose\u0301 A\u0301lvarez",  # the accents as combining marks
    "Zoë Adams",
    "Straße Weiß",
    "Strasse Weiss",
    "ﬃon Ǆoković",
    "Bob 100% Smith",
    "al_vin",
    "alxvin",
    'Mary "May" O\'Neil',
    "O'Brien",
    "NEAR(a b) AND c",
    "near a b and c",
    "x*y ^z name_folded:q",
    "(paren) OR {brace}",
    "İlkay Iğdır",
    "Al",
    "Bo",
    "Ōno 0042",
    "Ann 00042",
    "Anne 004",
    "Ελένη Παπαδοπούλου",
    "Дмитрий Иванов",
    "محمد علي",
    "李小龍",
    "Acme™ Tester",  # NFKD makes capitals: "™" is "TM", "℃" is "°C"
    "℃ Heating",
]
SEARCHES = [
    "",
    "a",
    "al",
    "alv",
    "ÁLV",
    "alvarez",
    "zoe",
    "ss",
    "sse",
    "strasse",
    "ffi",
    "100%",
    "%",
    "_",
    "l_v",
    "%_",
    '"',
    '"may"',
    "'",
    "o'b",
    "*",
    "x*y",
    "^",
    "^z",
    ":",
    "name_folded:q",
    "AND",
    " and ",
    "NEAR(",
    "near(a",
    "OR",
    "(paren)",
    "{brace}",
    "0042",
    "004",
    "00",
    "ilk",
    "ελένη",
    "ΕΛΈΝΗ",
    "иван",
    "علي",
    "小龍",
    "no such name",
    "acmetm",
    "ACME™",
    "™",
    "TM",
    "°C",
    "℃ heat",
    "\u0301",  # a combining mark alone: folds to nothing, so everyone matches
]


def read_people(ws: Workspace, search: str, after: str | None) -> Page[Any]:
    return list_people(ws, search, after, limit=3)


def reference(names: dict[str, str], search: str) -> set[str]:
    """What the search has always meant: the folded name contains the folded text."""
    wanted = fold(search.strip())
    return {person_id for person_id, name in names.items() if wanted in fold(name)}


def every_page(read: Callable[[str | None], Page[Any]]) -> list[Any]:
    """All rows of a list, a page at a time, following the cursors."""
    rows: list[Any] = []
    after: str | None = None
    while True:
        page = read(after)
        rows.extend(page.items)
        if not page.has_more:
            return rows
        assert page.items
        assert page.after is not None
        after = page.after


@pytest.fixture
def people(ws: Workspace) -> dict[str, str]:
    """The hostile names, each given a person, by id."""
    return {create_person(ws, name).id: " ".join(name.split()) for name in HOSTILE_NAMES}


@contextmanager
def few_candidates(monkeypatch: pytest.MonkeyPatch, limit: int) -> Iterator[None]:
    """SQLite's search with the trigram index's cut-over lowered: with 1, every search that
    finds anything reads the names in order instead (the common-substring way)."""
    with monkeypatch.context() as patch:
        patch.setattr(repositories, "CANDIDATES", limit)
        yield


@pytest.mark.parametrize("candidates", [repositories.CANDIDATES, 1])
def test_search_finds_exactly_what_contains_finds(
    ws: Workspace,
    people: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    candidates: int,
) -> None:
    with few_candidates(monkeypatch, candidates):
        for search in SEARCHES:
            found = every_page(partial(read_people, ws, search))
            ids = [person.id for person in found]
            assert len(ids) == len(set(ids)), search  # no one twice across pages
            assert set(ids) == reference(people, search), search
            one_page = list_people(ws, search, limit=100)
            assert [p.id for p in one_page.items] == ids, search  # pages: the same order


# Searches drawn from the names' own characters and FTS5's syntax, and pieces of the names.
PIECES = st.sampled_from(HOSTILE_NAMES).flatmap(
    lambda name: st.tuples(st.integers(0, len(name)), st.integers(0, 6)).map(
        lambda cut: name[cut[0] : cut[0] + cut[1]]
    )
)
CHARACTERS = st.text(
    st.sampled_from(sorted(set("".join(HOSTILE_NAMES)) | set("\"*^:()%_'- {}+"))), max_size=6
)
WORDS = st.sampled_from(["AND", "OR", "NOT", "NEAR(", "NEAR", "*", '"', '""', "^", ":"])


@given(search=st.one_of(PIECES, CHARACTERS, st.lists(WORDS, max_size=4).map(" ".join)))
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=60)
def test_any_search_finds_what_contains_finds(
    ws: Workspace, people: dict[str, str], search: str
) -> None:
    found = list_people(ws, search, limit=100)
    assert not found.has_more
    assert {person.id for person in found.items} == reference(people, search)
    listed = visits.list_assessments(ws, search=search, limit=100)
    assert listed.items == ()  # nobody has a visit: searching visits is fine too


def test_fts_phrases_are_one_string() -> None:
    assert fts_phrase('say "hi" AND NEAR(x') == '"say ""hi"" AND NEAR(x"'
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='trigram case_sensitive 1')")
    connection.executemany("INSERT INTO t VALUES (?)", [('a "b" AND c*',), ("a b and c",)])
    for text_ in ('"b" AND c*', "AND c", 'b" AND', "NEAR(", "c*", ":", "^a"):
        wanted = {row for row in ('a "b" AND c*', "a b and c") if text_ in row}
        got = {
            row[0]
            for row in connection.execute("SELECT x FROM t WHERE t MATCH ?", (fts_phrase(text_),))
        }
        assert got == wanted if len(text_) >= 3 else got <= wanted, text_


# Control characters (C0, DEL, C1): never a database error (PostgreSQL refuses a NUL in text);
# the search is the text without them.
CONTROL_SEARCHES = [
    "\x00",
    "\x1f",
    "alv\x00",
    "a\x00lv",
    "\x1b[0m",
    "\x7f",
    "\x85",
    "\x9fo'b",
    "\t",
]


@pytest.mark.parametrize("search", CONTROL_SEARCHES)
def test_control_characters_are_left_out_of_a_search(
    ws: Workspace, people: dict[str, str], search: str
) -> None:
    plain = "".join(ch for ch in search if not (ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0))
    start(ws, next(iter(people)), date(2026, 3, 1))
    found = every_page(partial(read_people, ws, search))
    assert {p.id for p in found} == reference(people, plain)
    listed = every_page(
        lambda after: visits.list_assessments(ws, search=search, after=after, limit=2)
    )
    streamed = [info for page in visits.each_assessment(ws, search, page_size=2) for info in page]
    wanted = [i.id for i in visits.list_assessments(ws, search=plain, limit=100).items]
    assert [i.id for i in listed] == [i.id for i in streamed] == wanted


NAMES_WITH_CAPITALS = {  # a search, and the names it finds, whatever the route
    "acmetm": {"Acme™ Tester"},
    "ACMETM TESTER": {"Acme™ Tester"},
    "Acme™": {"Acme™ Tester"},
    "™": {"Acme™ Tester"},  # short: the name index, read in order
    "tm": {"Acme™ Tester"},
    "°c": {"℃ Heating"},
    "°C HEAT": {"℃ Heating"},
}


@pytest.mark.parametrize("candidates", [repositories.CANDIDATES, 1])
def test_names_whose_decomposition_has_capitals_are_found_ignoring_case(
    ws: Workspace, people: dict[str, str], monkeypatch: pytest.MonkeyPatch, candidates: int
) -> None:
    """ "™" decomposes to "TM": on SQLite, FTS5 (case-sensitive, over folded names) and LIKE
    (ignoring ASCII case) must agree, and so must PostgreSQL's LIKE (minding case)."""
    acme = next(key for key, name in people.items() if name == "Acme™ Tester")
    start(ws, acme, date(2026, 3, 1))
    with few_candidates(monkeypatch, candidates):
        for search, wanted in NAMES_WITH_CAPITALS.items():
            found = {p.name for p in list_people(ws, search, limit=100).items}
            assert found == wanted, search
        for search in ("acmetm", "ACME™ t", "™"):
            listed = visits.list_assessments(ws, search=search).items
            assert [i.person_name for i in listed] == ["Acme™ Tester"], search


def test_people_pages_follow_the_names(ws: Workspace, people: dict[str, str]) -> None:
    everyone = every_page(lambda after: list_people(ws, after=after, limit=4))
    assert {p.id for p in everyone} == set(people)
    assert len(everyone) == len(people)
    assert [p.id for p in everyone] == [p.id for p in list_people(ws, limit=100).items]
    last = list_people(ws, limit=len(people))
    assert (len(last.items), last.has_more) == (len(people), False)
    beyond = list_people(ws, after=last.after)
    assert (beyond.items, beyond.after, beyond.has_more) == ((), None, False)


@pytest.mark.parametrize("cursor", ["", "nonsense", "[1, 2]", '["a"]', '["a", "b", "c"]'])
def test_a_cursor_not_handed_out_is_refused(ws: Workspace, cursor: str) -> None:
    create_person(ws, "Ada")
    with pytest.raises(InvalidInputError):
        list_people(ws, after=cursor)
    with pytest.raises(InvalidInputError):
        visits.list_assessments(ws, after=cursor)
    with pytest.raises(InvalidInputError):
        visits.list_assessments(ws, after='["2026-01-01", "not a time", "x"]')


def start(ws: Workspace, person_id: str, day: date) -> visits.AssessmentInfo:
    return visits.start_assessment(ws, person_id, "Carol", Mode.OT, Mode.OT, visit_date=day)


def test_visits_pages_are_newest_first(ws: Workspace) -> None:
    ada = create_person(ws, "Ada Álvarez").id
    ben = create_person(ws, "Ben Byrne").id
    made = [
        start(ws, person, date(2026, 1, 1 + day % 9))
        for day, person in enumerate([ada, ben] * 6)  # several on one day: the newest first
    ]
    newest_first = sorted(
        made, key=lambda info: (info.date, made.index(info)), reverse=True
    )  # made later, listed sooner
    listed = every_page(lambda after: visits.list_assessments(ws, after=after, limit=5))
    assert [info.id for info in listed] == [info.id for info in newest_first]
    adas = every_page(lambda after: visits.list_assessments(ws, ada, after=after, limit=2))
    assert [i.id for i in adas] == [i.id for i in newest_first if i.person_id == ada]
    found = every_page(
        lambda after: visits.list_assessments(ws, search="ALV", after=after, limit=2)
    )
    assert [i.id for i in found] == [i.id for i in adas]
    assert visits.list_assessments(ws, search="zz").items == ()
    # The stream the command line writes: every visit once, in the same order.
    streamed = [info for page in visits.each_assessment(ws, page_size=4) for info in page]
    assert [i.id for i in streamed] == [i.id for i in listed]
    assert [
        i.id for page in visits.each_assessment(ws, search="byrne", page_size=1) for i in page
    ] == [i.id for i in listed if i.person_id == ben]


def test_visits_made_at_one_moment_are_each_listed_once(ws: Workspace) -> None:
    """Five visits on one day made at one moment (a fixed clock): the id settles their order
    (descending, like the rest of the key), and paging two at a time lists each once."""
    moment = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
    ws.clock = lambda: moment
    ada = create_person(ws, "Ada Álvarez").id
    ben = create_person(ws, "Ben Byrne").id
    made = [start(ws, person, date(2026, 1, 5)).id for person in (ada, ben, ada, ben, ada)]
    listed = every_page(lambda after: visits.list_assessments(ws, after=after, limit=2))
    assert [i.id for i in listed] == sorted(made, reverse=True)
    adas = every_page(lambda after: visits.list_assessments(ws, ada, after=after, limit=2))
    assert [i.id for i in adas] == sorted(made[::2], reverse=True)
    found = every_page(
        lambda after: visits.list_assessments(ws, search="alv", after=after, limit=2)
    )
    assert [i.id for i in found] == [i.id for i in adas]
    streamed = [i.id for page in visits.each_assessment(ws, page_size=2) for i in page]
    assert streamed == [i.id for i in listed]


def test_the_search_index_follows_every_change(ws: Workspace) -> None:
    """Added, renamed, deleted, put back: the index (kept by triggers on SQLite) says the same
    as the names."""
    ada = create_person(ws, "Ada Quigley")
    ben = create_person(ws, "Ben Quigley")

    def named(search: str) -> list[str]:
        return [p.name for p in list_people(ws, search).items]

    assert named("quig") == ["Ada Quigley", "Ben Quigley"]
    edit_person(ws, ada.id, name="Ada Zander", birth_year=None, notes="", expected_version=1)
    assert (named("quig"), named("zand")) == (["Ben Quigley"], ["Ada Zander"])
    kept = removal.delete_person(ws, ben.id)
    assert named("quig") == []
    removal.restore(ws, kept)
    assert named("quig") == ["Ben Quigley"]
    if ws.database is not None and ws.database.is_sqlite:
        with ws.database.engine.connect() as connection:  # FTS5's own check of the index
            connection.exec_driver_sql(
                "INSERT INTO people_fts(people_fts, rank) VALUES ('integrity-check', 1)"
            )


# ---- the plans --------------------------------------------------------------------------------


@contextmanager
def statements(ws: Workspace) -> Iterator[list[tuple[str, Any]]]:
    """The SQL statements (with their parameters) the store runs meanwhile."""
    assert ws.database is not None
    seen: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    event.listen(ws.database.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(ws.database.engine, "before_cursor_execute", record)


def plan(ws: Workspace, statement: str, parameters: Any) -> str:
    """The database's plan for a statement, as one text."""
    assert ws.database is not None
    with ws.database.engine.connect() as connection:
        if ws.database.is_sqlite:
            rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
            return "\n".join(str(row[-1]) for row in rows)
        # A handful of rows: a scan would win on cost alone, so it is ruled out to see what
        # the indexes can serve.
        connection.exec_driver_sql("SET enable_seqscan = off")
        rows = connection.exec_driver_sql(f"EXPLAIN {statement}", parameters)
        return "\n".join(str(row[0]) for row in rows)


def plans_of(ws: Workspace, action: Callable[[], object]) -> str:
    with statements(ws) as seen:
        action()
    return "\n".join(plan(ws, statement, parameters) for statement, parameters in seen)


def test_each_list_reads_the_index_of_its_order(ws: Workspace, people: dict[str, str]) -> None:
    ada = next(iter(people))
    start(ws, ada, date(2026, 3, 1))
    middle = list_people(ws, limit=3).after
    sqlite = ws.database is not None and ws.database.is_sqlite
    for action, index in (
        (lambda: list_people(ws, limit=3), "ix_people_name_order"),
        (lambda: list_people(ws, after=middle, limit=3), "ix_people_name_order"),
        (lambda: visits.list_assessments(ws, limit=3), "ix_assessments_newest"),
        (lambda: visits.list_assessments(ws, ada, limit=3), "ix_assessments_person_newest"),
    ):
        found = plans_of(ws, action)
        assert index in found, found
        if sqlite:  # in the index's order: nothing sorted but the page itself
            assert "SCAN people\n" not in found + "\n"
            assert "SCAN assessments\n" not in found
    seek = plans_of(ws, lambda: list_people(ws, after=middle, limit=3))
    if sqlite:
        assert "SEARCH people USING INDEX ix_people_name_order ((name_folded,id)>" in seek, seek
    else:
        assert "Index Scan using ix_people_name_order" in seek, seek
        assert "Index Cond: (ROW((name_folded)::text, (id)::text) > ROW(" in seek, seek


@pytest.mark.parametrize("search", ["0042", "álvarez", 'y "may" o', "near(a"])
def test_a_search_reads_the_trigram_index(
    ws: Workspace, people: dict[str, str], search: str
) -> None:
    start(ws, next(iter(people)), date(2026, 3, 1))
    for action in (
        lambda: list_people(ws, search, limit=3),
        lambda: visits.list_assessments(ws, search=search, limit=3),
    ):
        found = plans_of(ws, action)
        if ws.database is not None and ws.database.is_sqlite:
            assert "SCAN people_fts VIRTUAL TABLE INDEX" in found, found
            assert "SCAN people USING" not in found, found
        else:
            assert "ix_people_name_trigram" in found, found


@pytest.mark.usefixtures("people")
def test_a_short_search_reads_the_names_in_order(ws: Workspace) -> None:
    """Under three characters there is no trigram: the names are read in the list's order,
    and the page ends as soon as it is full."""
    found = plans_of(ws, lambda: list_people(ws, "al", limit=3))
    assert "ix_people_name_order" in found, found
    assert "people_fts" not in found, found
    assert "trigram" not in found, found


# ---- without FTS5 trigrams (an older SQLite) ----------------------------------------------------


def test_without_fts5_trigrams_the_search_scans_and_finds_the_same(
    tmp_path: Any, content: Content, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_connect = sqlite3.connect

    class NoTrigrams:
        """A SQLite without the trigram tokenizer, for the migration's probe."""

        def __init__(self) -> None:
            self.connection = real_connect(":memory:")

        def execute(self, sql: str, *args: Any) -> Any:
            if "trigram" in sql:
                raise sqlite3.OperationalError("no such tokenizer: trigram")
            return self.connection.execute(sql, *args)

        def close(self) -> None:
            self.connection.close()

    def connect(database: Any, *args: Any, **kwargs: Any) -> Any:
        if database == ":memory:":
            return NoTrigrams()
        return real_connect(database, *args, **kwargs)

    url = f"sqlite:///{tmp_path / 'old-sqlite.sqlite3'}"
    with monkeypatch.context() as patch:
        patch.setattr(sqlite3, "connect", connect)
        ws = open_workspace(url, content, clock=TickingClock())
    try:
        assert ws.database is not None
        with ws.database.engine.connect() as connection:
            tables = {
                row[0]
                for row in connection.execute(text("SELECT name FROM sqlite_master"))
                if row[0].startswith("people")
            }
            revision = connection.execute(text("SELECT version_num FROM alembic_version"))
            assert revision.scalar() == HEAD_REVISION
        assert tables == {"people"}  # no full-text table, no triggers
        names = {create_person(ws, name).id: " ".join(name.split()) for name in HOSTILE_NAMES}
        for search in SEARCHES:
            found = {p.id for p in list_people(ws, search, limit=100).items}
            assert found == reference(names, search), search
        for search, wanted in NAMES_WITH_CAPITALS.items():
            assert {p.name for p in list_people(ws, search).items} == wanted, search
    finally:
        ws.close()


# ---- `safetycheck list`: streamed, a page at a time ---------------------------------------------


class Ids:
    """The store's new ids from counters, so a listing can be written out: each person or
    visit made after `then(prefix)` is `prefix` then 0000 (its home, its rooms: 0001, 0002…),
    padded with zeros to 32 characters."""

    def __init__(self) -> None:
        self.then("0")

    def then(self, prefix: str) -> None:
        self.prefix, self.counter = prefix, itertools.count()

    def __call__(self) -> str:
        return f"{self.prefix}{next(self.counter):04x}".rjust(32, "0")


@pytest.fixture
def listed(ws: Workspace, db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Seven visits of hostile names (one finished, with a level and score), read by
    `list` two at a time; the database's URL. Person n's id is n a0000, their visit's n b0000."""
    ids = Ids()
    monkeypatch.setattr(repositories, "new_id", ids)
    names = ["José Álvarez", 'Mary "May" O\'Neil', "Bob 100% Smith", "back\\slash", "李小龍"]
    for n, name in enumerate(names + names[:2], start=1):
        ids.then(f"{n}a")
        person = create_person(ws, name)
        ids.then(f"{n}b")
        start(ws, person.id, date(2026, 1, 1 + (n - 1) % 3))
    demo = visits.list_assessments(ws, limit=1).items[0]
    visits.finish_assessment(ws, demo.id, expected_version=demo.version)
    monkeypatch.setattr(visits, "STREAM_PAGE", 2)
    return db_url


# What `list --json` printed for the `listed` visits when it read every visit first (HEAD
# before issue 15, run on the same database, printed these bytes): newest first, by date and
# then the later made first.
LISTED_JSON = r"""[
  {
    "id": "000000000000000000000000006b0000",
    "person": "José Álvarez",
    "person_id": "000000000000000000000000006a0000",
    "date": "2026-01-03",
    "status": "completed",
    "level": "low-high",
    "score": 0,
    "assessor": "Carol",
    "mode": "ot"
  },
  {
    "id": "000000000000000000000000003b0000",
    "person": "Bob 100% Smith",
    "person_id": "000000000000000000000000003a0000",
    "date": "2026-01-03",
    "status": "in_progress",
    "level": null,
    "score": null,
    "assessor": "Carol",
    "mode": "ot"
  },
  {
    "id": "000000000000000000000000005b0000",
    "person": "李小龍",
    "person_id": "000000000000000000000000005a0000",
    "date": "2026-01-02",
    "status": "in_progress",
    "level": null,
    "score": null,
    "assessor": "Carol",
    "mode": "ot"
  },
  {
    "id": "000000000000000000000000002b0000",
    "person": "Mary \"May\" O'Neil",
    "person_id": "000000000000000000000000002a0000",
    "date": "2026-01-02",
    "status": "in_progress",
    "level": null,
    "score": null,
    "assessor": "Carol",
    "mode": "ot"
  },
  {
    "id": "000000000000000000000000007b0000",
    "person": "Mary \"May\" O'Neil",
    "person_id": "000000000000000000000000007a0000",
    "date": "2026-01-01",
    "status": "in_progress",
    "level": null,
    "score": null,
    "assessor": "Carol",
    "mode": "ot"
  },
  {
    "id": "000000000000000000000000004b0000",
    "person": "back\\slash",
    "person_id": "000000000000000000000000004a0000",
    "date": "2026-01-01",
    "status": "in_progress",
    "level": null,
    "score": null,
    "assessor": "Carol",
    "mode": "ot"
  },
  {
    "id": "000000000000000000000000001b0000",
    "person": "José Álvarez",
    "person_id": "000000000000000000000000001a0000",
    "date": "2026-01-01",
    "status": "in_progress",
    "level": null,
    "score": null,
    "assessor": "Carol",
    "mode": "ot"
  }
]
"""


def test_list_json_is_what_it_always_was(listed: str) -> None:
    result = cli("list", "--json", db=listed)
    assert result.returncode == 0, result.stderr
    assert result.stdout == LISTED_JSON
    assert len(json.loads(result.stdout)) == 7
    searched = json.loads(cli("list", "--json", "--search", "ALVAREZ", db=listed).stdout)
    assert [row["person"] for row in searched] == ["José Álvarez", "José Álvarez"]
    assert cli("list", "--json", "--search", "nobody", db=listed).stdout == "[]\n"
    text_ = cli("list", db=listed).stdout.splitlines()
    assert len(text_) == 8  # the heading and every visit, in the same order
    ids_ = [row["id"][:12] for row in json.loads(result.stdout)]
    assert [line.split()[0] for line in text_[1:]] == ids_


def failing_after(pages: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """The database fails at the visits page after `pages` pages were read."""
    from sqlalchemy.exc import OperationalError

    real = repositories.SqlVisitRepository.page
    calls = []

    def page(self: Any, *args: Any) -> Any:
        calls.append(1)
        if len(calls) > pages:
            raise OperationalError("SELECT", {}, sqlite3.OperationalError("disk I/O error"))
        return real(self, *args)

    monkeypatch.setattr(repositories.SqlVisitRepository, "page", page)


def test_a_list_that_fails_at_once_writes_nothing(
    listed: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    failing_after(0, monkeypatch)
    for args in (("list", "--json"), ("list",)):
        assert_bad_input(cli(*args, db=listed), "could not be read")


def test_a_list_that_fails_midway_is_not_valid_json(
    listed: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    failing_after(2, monkeypatch)
    result = cli("list", "--json", db=listed)
    assert result.returncode == 2
    assert result.stderr.startswith("error: ")
    assert len(result.stderr.splitlines()) == 1
    assert result.stdout.startswith("[\n  {")  # two pages were written as they were read
    assert result.stdout.count('"id"') == 4
    with pytest.raises(json.JSONDecodeError):  # and the array is never closed
        json.loads(result.stdout)
