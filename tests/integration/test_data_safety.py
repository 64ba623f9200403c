"""Nothing a user types, imports, points at or races can lose, corrupt or leak data (issue 10).

Each test holds one reproduced problem; each failed before its fix.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import os
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from support import EXAMPLES, assert_bad_input, cli, photo_entry

from safetycheck.content import Content
from safetycheck.domain.checklist import Mode
from safetycheck.services.demo import create_demo
from safetycheck.services.workspace import Workspace, open_workspace


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def demo_db(tmp_path: Path, content: Content) -> Path:
    """A database with the demo person in it, closed."""
    path = tmp_path / "my data" / "db.sqlite3"
    ws = open_workspace(f"sqlite:///{path}", content)
    create_demo(ws)
    ws.close()
    return path


def spellings(path: Path) -> list[str]:
    """The same file, named as different URLs."""
    encoded = str(path).replace(" ", "%20")
    return [
        f"sqlite:///{path}",
        f"sqlite+pysqlite:///{path}",
        f"sqlite:///{encoded}",
        f"sqlite+pysqlite:///{encoded}",
    ]


@pytest.mark.parametrize("index", range(4), ids=["plain", "driver", "encoded", "both"])
@pytest.mark.parametrize("through", ["--db", "SAFETYCHECK_DB"])
def test_no_spelling_of_the_database_url_lets_an_output_replace_it(
    demo_db: Path, index: int, through: str
) -> None:
    url = spellings(demo_db)[index]
    before = digest(demo_db)
    for target in (demo_db, demo_db.with_name(demo_db.name + "-wal")):
        if through == "--db":
            process = cli("checklist", "-o", target, db=url)
        else:
            process = cli("checklist", "-o", target, env={"SAFETYCHECK_DB": url})
        assert_bad_input(process, "file in use")
    assert digest(demo_db) == before


def test_links_to_the_database_are_the_database(demo_db: Path, tmp_path: Path) -> None:
    before = digest(demo_db)
    symlink = tmp_path / "shortcut.pdf"
    symlink.symlink_to(demo_db)
    hardlink = tmp_path / "other-name.pdf"
    os.link(demo_db, hardlink)
    for target in (symlink, hardlink):
        assert_bad_input(cli("checklist", "-o", target, db=f"sqlite:///{demo_db}"), "file in use")
        assert_bad_input(
            cli("export", "x" * 8, "-o", target, db=f"sqlite:///{demo_db}"), "file in use"
        )
    assert digest(demo_db) == before
    assert symlink.is_symlink()


# ---- damaged databases -------------------------------------------------------------------------


def page_size(path: Path) -> int:
    return int.from_bytes(path.read_bytes()[16:18], "big")


def zero_page(path: Path, number: int) -> None:
    """Overwrite page `number` (1 is the first) with zeros, as a failing disk would."""
    size = page_size(path)
    data = bytearray(path.read_bytes())
    data[(number - 1) * size : number * size] = bytes(size)
    path.write_bytes(bytes(data))


def middle_page(path: Path) -> int:
    return path.stat().st_size // page_size(path) // 2


def listing(folder: Path) -> dict[str, str]:
    return {p.name: digest(p) for p in folder.iterdir()}


@pytest.mark.parametrize("where", ["page 2", "a middle page"])
def test_a_damaged_database_is_refused_and_left_as_it_is(demo_db: Path, where: str) -> None:
    assert not demo_db.with_name(demo_db.name + "-wal").exists()
    zero_page(demo_db, 2 if where == "page 2" else middle_page(demo_db))
    before = listing(demo_db.parent)
    url = f"sqlite:///{demo_db}"
    example = Path(__file__).parents[2] / "docs" / "examples" / "recent-faller.json"
    for args in (("import", example), ("demo",), ("list",), ("score", "abcd")):
        assert_bad_input(cli(*args, db=url), "is damaged", "nothing was written")
    # Not a byte changed, and no -wal or -shm file appeared beside it.
    assert listing(demo_db.parent) == before


def test_a_database_cut_short_is_one_error_line(demo_db: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{demo_db}"
    visit = cli("list", "--json", db=url).stdout.split('"id": "')[1][:32]
    with demo_db.open("r+b") as handle:
        handle.truncate(demo_db.stat().st_size - 1)
    before = listing(demo_db.parent)
    for args in (
        ("score", visit),
        ("export", visit, "-o", tmp_path / "out.json"),
        ("report", visit, "-o", tmp_path / "out.pdf"),
    ):
        assert_bad_input(cli(*args, db=url), "is damaged", "cut short")
    assert listing(demo_db.parent) == before
    assert not (tmp_path / "out.json").exists()


def test_a_large_file_is_checked_in_full_before_a_write_that_follows_an_error(
    demo_db: Path, content: Content, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above the size limit only the cheap checks run at open; damage met later makes the next
    write check the whole file first, and refuse."""
    from safetycheck.services import assessments as visits
    from safetycheck.services.people import create_person
    from safetycheck.store import database
    from safetycheck.store.errors import DatabaseUnusableError

    monkeypatch.setattr(database, "QUICK_CHECK_LIMIT", 0)
    ws = open_workspace(f"sqlite:///{demo_db}", content)
    try:
        newest = visits.list_assessments(ws).items[0].id
        assert ws.database is not None
        ws.database.engine.dispose()
        for number in range(3, middle_page(demo_db) * 2):
            zero_page(demo_db, number)  # every page but the first two: no read can succeed
        before = digest(demo_db)
        with pytest.raises(DatabaseUnusableError, match="is damaged"):
            visits.evaluate_visit(ws, newest)
        with pytest.raises(DatabaseUnusableError, match=r"is damaged .*nothing was written"):
            create_person(ws, "Ada")
        assert digest(demo_db) == before
    finally:
        ws.close()


def test_an_interrupted_demo_leaves_nothing_behind(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    from safetycheck.services import transfer
    from safetycheck.services.people import list_people

    real = transfer.store_assessment
    calls = []

    def dies_on_the_second_visit(*args: object, **kwargs: object) -> str:
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt  # as if the process were stopped half-way
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr("safetycheck.services.demo.store_assessment", dies_on_the_second_visit)
    with pytest.raises(KeyboardInterrupt):
        create_demo(ws)
    assert len(calls) == 2
    assert len(list_people(ws).items) == 0


# ---- photos ------------------------------------------------------------------------------------


def picture(kind: str, size: tuple[int, int] = (40, 30), mode: str = "RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size).save(buffer, format=kind)
    return buffer.getvalue()


@functools.cache
def broken_pictures() -> dict[str, tuple[bytes, str]]:
    """Pictures that open (their header is fine) but cannot be decoded or are bombs."""
    jpeg = picture("JPEG", (400, 300))
    flipped = bytearray(jpeg)
    flipped[jpeg.index(b"\xff\xc4") + 8] ^= 0xFF  # one byte of a Huffman table: opens, won't decode
    png = picture("PNG")
    return {
        "truncated jpeg": (jpeg[: len(jpeg) // 2], "image/jpeg"),
        "bit-flipped jpeg": (bytes(flipped), "image/jpeg"),
        "png header without pixels": (png[:33], "image/png"),
        # Black and white, so it is small to make; 144 million pixels once decoded.
        "12000 x 12000 png": (picture("PNG", (12000, 12000), mode="1"), "image/png"),
    }


def with_photo(data: bytes, media_type: str, size: tuple[int, int]) -> dict[str, object]:
    document = json.loads((EXAMPLES / "recent-faller.json").read_text(encoding="utf-8"))
    document["photos"] = [photo_entry(data, media_type, size)]
    return document


@pytest.mark.parametrize("name", list(broken_pictures()))
def test_a_photo_that_does_not_decode_is_refused_at_every_door(
    name: str, tmp_path: Path, ws: Workspace
) -> None:
    from safetycheck.services import assessments as visits
    from safetycheck.services.errors import InvalidInputError
    from safetycheck.services.people import create_person

    data, media_type = broken_pictures()[name]
    size = (12000, 12000) if name.startswith("12000") else (400, 300)
    file = tmp_path / "visit.json"
    file.write_text(json.dumps(with_photo(data, media_type, size)), encoding="utf-8")
    database = tmp_path / "new.sqlite3"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no raw DecompressionBombWarning either
        for command in ("score", "import"):
            assert_bad_input(cli(command, file, db=f"sqlite:///{database}"), "photos[0].data")
    assert not database.exists()
    # The program's door: attaching the same file to a visit.
    photo = tmp_path / ("photo.png" if media_type == "image/png" else "photo.jpg")
    photo.write_bytes(data)
    person = create_person(ws, "Ada")
    info = visits.start_assessment(ws, person.id, "Carol", Mode.OT, Mode.OT)
    with pytest.raises(InvalidInputError, match="is not a photo"):
        visits.attach_photo(ws, info.id, "steadi.si.01", None, photo)
    assert visits.list_photos(ws, info.id) == []


def test_a_stored_photo_that_does_not_decode_leaves_the_report_printable(
    ws: Workspace, tmp_path: Path
) -> None:
    """A photo stored before photos were checked in full no longer breaks the report."""
    from dataclasses import replace

    from safetycheck.domain.assessment import Photo
    from safetycheck.exchange.assessment_json import assessment_from_document
    from safetycheck.services import reports
    from safetycheck.services.transfer import store_assessment

    data, _ = broken_pictures()["truncated jpeg"]
    good = with_photo(picture("PNG"), "image/png", (40, 30))
    assessment = assessment_from_document(good, ws.content.checklist)
    bad = replace(assessment.photos[0], id="p2", data=data, media_type="image/jpeg")
    assert isinstance(bad, Photo)
    with ws.unit_of_work() as uow:  # past the checks, as an old version of the program did
        visit = store_assessment(uow, ws, replace(assessment, photos=(*assessment.photos, bad)))
        uow.commit()
    report = reports.plan_report_for_visit(ws, visit)
    warnings_given = reports.write_plan_pdf(report, tmp_path / "plan.pdf")
    assert (tmp_path / "plan.pdf").read_bytes().startswith(b"%PDF")
    assert any("left out of the plan" in w for w in warnings_given)


# ---- two people changing the same answer at once ----------------------------------------------


@pytest.mark.parametrize("first", [True, False], ids=["first answer", "changed answer"])
def test_racing_writers_get_a_conflict_never_a_crash(
    ws: Workspace, db_url: str, content: Content, first: bool
) -> None:
    """Three people press an answer to the same question at the same moment: one is saved,
    the others are told it was changed by someone else (SQLite and PostgreSQL alike)."""
    import threading

    from safetycheck.services import assessments as visits
    from safetycheck.services.errors import ConflictError
    from safetycheck.services.people import create_person

    person = create_person(ws, "Ada")
    info = visits.start_assessment(ws, person.id, "Carol", Mode.OT, Mode.OT)
    seen = None if first else visits.record_answer(ws, info.id, "steadi.si.01", None, "no").version
    writers = [open_workspace(db_url, content) for _ in range(3)]
    start = threading.Barrier(len(writers))
    outcomes: list[str] = []

    def answer(writer: Workspace, value: str) -> None:
        start.wait()
        try:
            visits.record_answer(
                writer, info.id, "steadi.si.01", None, value, expected_version=seen
            )
            outcomes.append("saved")
        except ConflictError as exc:
            said = "changed by someone else" in str(exc)
            outcomes.append("conflict" if said else f"conflict worded '{exc}'")
        except Exception as exc:  # any other ending is the bug
            outcomes.append(f"{type(exc).__name__}: {exc}")

    threads = [
        threading.Thread(target=answer, args=(writer, value))
        for writer, value in zip(writers, ("yes", "no", "yes"), strict=True)
    ]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        for writer in writers:
            writer.close()
    assert sorted(outcomes) == ["conflict", "conflict", "saved"]


def test_the_same_limits_on_every_database(tmp_path: Path) -> None:
    document = json.loads((EXAMPLES / "recent-faller.json").read_text(encoding="utf-8"))
    document["model_version"] = "2" * 21
    file = tmp_path / "visit.json"
    file.write_text(json.dumps(document), encoding="utf-8")
    database = tmp_path / "db.sqlite3"
    assert_bad_input(cli("import", file, db=f"sqlite:///{database}"), "model_version")
    assert not database.exists()


# ---- no traceback, no partial output, no database from a failing command ---------------------


DEMO_VISIT = Path(__file__).parents[2] / "data" / "demo" / "demo-visit-1.json"  # has measures


def example_with(tmp_path: Path, change: Callable[[dict[str, Any]], None]) -> Path:
    document = json.loads(DEMO_VISIT.read_text(encoding="utf-8"))
    change(document)
    file = tmp_path / "visit.json"
    file.write_text(json.dumps(document, ensure_ascii=True), encoding="utf-8")
    return file


def first_measure(document: dict[str, Any]) -> dict[str, Any]:
    return next(a for a in document["answers"] if isinstance(a["value"], int | float))


def huge_measurement(document: dict[str, Any]) -> None:
    first_measure(document)["value"] = 10**400


def last_moment(document: dict[str, Any]) -> None:
    document["answers"][0]["answered_at"] = "9999-12-31T23:59:59-23:59"


def lone_surrogate(document: dict[str, Any]) -> None:
    document["rooms"][0]["name"] = "Hall \ud800"


def duplicate_action(document: dict[str, Any]) -> None:
    action = {"kind": "person", "item": "fall_history", "room": None, "status": "open"}
    document["actions"] = [action, dict(action)]


BAD_FILES = {
    "a measurement of 10**400": (huge_measurement, "answers["),
    "an answer at 9999-12-31T23:59:59-23:59": (last_moment, "answered_at"),
    "a lone surrogate in a room name": (lone_surrogate, "rooms[0].name"),
    "the same action twice": (duplicate_action, "actions[1]"),
}


@pytest.mark.parametrize("name", list(BAD_FILES))
@pytest.mark.parametrize("command", ["score", "score --json", "import", "report"])
def test_a_bad_file_is_one_error_line_and_creates_nothing(
    tmp_path: Path, name: str, command: str
) -> None:
    change, place = BAD_FILES[name]
    file = example_with(tmp_path, change)
    database = tmp_path / "new" / "db.sqlite3"
    words = command.split()
    extra = ["-o", tmp_path / "plan.pdf"] if command == "report" else []
    process = cli(words[0], file, *words[1:], *extra, db=f"sqlite:///{database}")
    assert_bad_input(process, place)
    assert not database.exists()
    assert not (tmp_path / "plan.pdf").exists()


def test_a_measurement_beyond_sense_is_refused_by_the_program_too(ws: Workspace) -> None:
    from safetycheck.services import assessments as visits
    from safetycheck.services.errors import InvalidInputError
    from safetycheck.services.people import create_person

    person = create_person(ws, "Ada")
    info = visits.start_assessment(
        ws, person.id, "Carol", Mode.OT, Mode.OT, rooms=[visits.RoomSpec("stairs")]
    )
    stairs = visits.load_assessment(ws, info.id).rooms[0].id
    for value in (10**400, 1e308, float("nan"), float("inf")):
        with pytest.raises(InvalidInputError, match="is not a measurement"):
            visits.record_answer(ws, info.id, "room.stairs.ot.riser", stairs, value)
    assert visits.load_assessment(ws, info.id).answers == ()


def test_a_failure_inside_the_database_leaves_no_new_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from safetycheck.services.errors import InvalidInputError

    def refused(*_args: object) -> str:
        raise InvalidInputError("the file could not be imported: refused by the database")

    monkeypatch.setattr("safetycheck.services.transfer.import_document", refused)
    database = tmp_path / "db.sqlite3"
    process = cli("import", EXAMPLES / "recent-faller.json", db=f"sqlite:///{database}")
    assert_bad_input(process, "refused by the database")
    assert list(tmp_path.iterdir()) == []


def test_output_names_that_cannot_be_written_are_one_error_line(tmp_path: Path) -> None:
    loop = tmp_path / "loop.pdf"
    loop.symlink_to(loop)
    assert_bad_input(cli("checklist", "-o", loop), "leads nowhere")
    assert_bad_input(cli("checklist", "-o", tmp_path / ("n" * 252 + ".pdf")), "too long")
    longest = tmp_path / ("n" * 251 + ".pdf")  # 255 bytes: allowed, and written
    process = cli("checklist", "-o", longest)
    assert process.returncode == 0, process.stderr
    assert longest.read_bytes().startswith(b"%PDF")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([loop.name, longest.name])


@pytest.mark.parametrize("number", ["nan", "inf", "1e308"])
def test_a_model_file_with_an_absurd_number_is_refused(tmp_path: Path, number: str) -> None:
    import shutil

    from safetycheck.resources import data_dir

    copy = tmp_path / "data"
    shutil.copytree(data_dir(), copy)
    model = copy / "model" / "model.toml"
    text = model.read_text(encoding="utf-8")
    marker = "odds_ratio = "
    start = text.index(marker) + len(marker)
    end = text.index("\n", start)
    model.write_text(text[:start] + number + text[end:], encoding="utf-8")
    process = cli("score", EXAMPLES / "recent-faller.json", env={"SAFETYCHECK_DATA_DIR": str(copy)})
    assert_bad_input(process, "model.toml", "odds_ratio")


# ---- PDF passwords -----------------------------------------------------------------------------


def test_a_password_protects_with_aes_256_and_a_separate_owner_password(tmp_path: Path) -> None:
    import pikepdf

    target = tmp_path / "plan.pdf"
    process = cli("report", EXAMPLES / "recent-faller.json", "-o", target, "--password", "s3cret")
    assert process.returncode == 0, process.stderr
    with pytest.raises(pikepdf.PasswordError):
        pikepdf.open(target)
    with pikepdf.open(target, password="s3cret") as document:
        assert document.encryption.R == 6  # the PDF 2.0 handler: AES-256
        assert document.encryption.stream_method.name == "aesv3"
        assert document.user_password_matched
        assert not document.owner_password_matched  # the owner password is another, random one
        assert document.allow.print_highres
        assert not document.allow.modify_other


def test_an_empty_password_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    target = tmp_path / "plan.pdf"
    for command in (
        ("report", EXAMPLES / "recent-faller.json", "-o", target, "--password", ""),
        ("checklist", "-o", target, "--password", ""),
    ):
        assert_bad_input(cli(*command), "password is empty")
    assert list(tmp_path.iterdir()) == []


def test_the_password_can_come_from_a_file_or_standard_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pikepdf

    secret = tmp_path / "password.txt"
    secret.write_text("from a file\n", encoding="utf-8")
    first = tmp_path / "one.pdf"
    assert cli("checklist", "-o", first, "--password-file", secret).returncode == 0
    with pikepdf.open(first, password="from a file") as document:
        assert document.encryption.R == 6
    monkeypatch.setattr("sys.stdin", io.StringIO("typed in\n"))
    second = tmp_path / "two.pdf"
    process = cli("report", EXAMPLES / "recent-faller.json", "-o", second, "--password-file", "-")
    assert process.returncode == 0, process.stderr
    with pikepdf.open(second, password="typed in") as document:
        assert document.user_password_matched
    missing = tmp_path / "nothing-here.txt"
    assert_bad_input(
        cli("checklist", "-o", tmp_path / "three.pdf", "--password-file", missing),
        "cannot read the password file",
    )


# ---- a careless umask --------------------------------------------------------------------------


@pytest.mark.slow
def test_everything_the_program_creates_is_private_whatever_the_umask(tmp_path: Path) -> None:
    """Real processes (the umask is the process's): the command line and the program."""
    import stat
    import subprocess
    import sys

    home = tmp_path / "home"
    home.mkdir()
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_DATA_HOME": "",
        "XDG_STATE_HOME": "",
        "XDG_CONFIG_HOME": "",
        "XDG_CACHE_HOME": "",
        "QT_QPA_PLATFORM": "offscreen",
    }
    env.pop("SAFETYCHECK_DB", None)
    for args in (["demo"], ["gui", "--smoke"], ["checklist", "-o", str(home / "c.pdf")]):
        process = subprocess.run(
            [
                sys.executable,
                "-c",
                "import os, sys; os.umask(0); from safetycheck.cli import main;"
                " sys.exit(main(sys.argv[1:]))",
                *args,
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert process.returncode == 0, process.stderr
    created = list(home.rglob("*"))
    assert any(p.name.endswith(".sqlite3") for p in created)
    assert any(p.suffix == ".log" for p in created)
    loose = {
        str(p.relative_to(home)): oct(stat.S_IMODE(p.stat().st_mode))
        for p in created
        if stat.S_IMODE(p.stat().st_mode) & 0o077
    }
    assert loose == {}


# ---- read-only situations ----------------------------------------------------------------------


@pytest.mark.slow
def test_on_a_read_only_disk_reading_works_and_writing_says_why(tmp_path: Path) -> None:
    """A real read-only file system (a tmpfs remounted read-only in a private mount namespace,
    so that root, who ignores file permissions, meets it too)."""
    import subprocess
    import sys

    if os.geteuid() != 0:
        pytest.fail("this test mounts a file system: run it as root (./tasks.sh test does)")
    mount = tmp_path / "disk"
    mount.mkdir()
    out = tmp_path / "outcome.json"
    driver = Path(__file__).with_name("readonly_driver.py")
    process = subprocess.run(
        ["unshare", "-m", sys.executable, str(driver), str(mount), str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert process.returncode == 0, process.stderr
    outcome = json.loads(out.read_text(encoding="utf-8"))
    assert outcome["demo before"]["code"] == 0, outcome["demo before"]["stderr"]
    for command in ("list", "score", "export"):
        assert outcome[command]["code"] == 0, outcome[command]["stderr"]
    assert "José Álvarez (demo)" in outcome["list"]["stdout"]
    assert (tmp_path / "out.json").exists()
    demo = outcome["demo"]
    assert demo["code"] == 2
    assert demo["stderr"].startswith("error: ")
    assert "read-only" in demo["stderr"]
    assert "Traceback" not in demo["stderr"]
    assert outcome["files after"] == outcome["files before"] == ["db.sqlite3"]


def test_reading_a_read_only_database_leaves_no_files_beside_it(demo_db: Path) -> None:
    demo_db.chmod(0o400)
    try:
        listing_before = sorted(p.name for p in demo_db.parent.iterdir())
        process = cli("list", db=f"sqlite:///{demo_db}")
        assert process.returncode == 0, process.stderr
        assert sorted(p.name for p in demo_db.parent.iterdir()) == listing_before
    finally:
        demo_db.chmod(0o600)
    assert cli("demo", db=f"sqlite:///{demo_db}").returncode == 0  # and writable again after


def test_commands_that_only_read_leave_a_file_that_is_not_a_database_alone(
    tmp_path: Path,
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_bytes(b"")
    for args in (("list",), ("score", "abcd"), ("export", "abcd", "-o", tmp_path / "x.json")):
        assert_bad_input(cli(*args, db=f"sqlite:///{notes}"), "empty file")
    assert notes.read_bytes() == b""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_a_lost_schema_version_is_named(demo_db: Path) -> None:
    import sqlite3

    with sqlite3.connect(demo_db) as connection:
        connection.execute("DELETE FROM alembic_version")
    connection.close()
    before = digest(demo_db)
    for args in (("list",), ("demo",)):
        assert_bad_input(cli(*args, db=f"sqlite:///{demo_db}"), "schema version")
    assert digest(demo_db) == before


# ---- an answer while a large import holds the lock ---------------------------------------------


@pytest.mark.slow
def test_an_answer_given_during_a_long_write_waits_and_is_saved(
    tmp_path: Path, content: Content
) -> None:
    """A writer that holds SQLite's write lock for 7 s (longer than the old 5 s wait): an answer
    given meanwhile is saved once the lock is free, never refused."""
    import threading
    import time

    from safetycheck.services import assessments as visits
    from safetycheck.services.people import create_person

    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    ws = open_workspace(url, content)
    importer = open_workspace(url, content)
    try:
        info = visits.start_assessment(ws, create_person(ws, "Ada").id, "C", Mode.OT, Mode.OT)
        holding = threading.Event()

        def long_import() -> None:
            with importer.unit_of_work() as uow:
                uow.people.add("Ben", None, "", importer.now())  # takes the write lock
                holding.set()
                time.sleep(7)
                uow.commit()

        thread = threading.Thread(target=long_import)
        thread.start()
        assert holding.wait(30)
        started = time.perf_counter()
        receipt = visits.record_answer(ws, info.id, "steadi.si.01", None, "yes")
        waited = time.perf_counter() - started
        thread.join(30)
        assert receipt.version == 1
        assert waited > 5  # it really waited for the import
        assert visits.load_assessment(ws, info.id).answer("steadi.si.01") is not None
    finally:
        ws.close()
        importer.close()


# ---- hostile text in the terminal --------------------------------------------------------------


def test_escape_sequences_in_imported_text_are_shown_not_obeyed(tmp_path: Path) -> None:
    def hostile(document: dict[str, Any]) -> None:
        document["person"]["name"] = "Ada \x1b]0;pwned\x07\x1b[2J Byrne"
        document["rooms"][0]["name"] = "Hall \x1b[31m\u202eway"
        document["answers"][0]["item"] = "steadi.si.01"

    file = example_with(tmp_path, hostile)
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    assert cli("import", file, db=url).returncode == 0
    listed = cli("list", db=url)
    scored = cli("score", file)
    missing = cli("score", "\x1b[2Jabcd", db=url)
    for output in (listed.stdout, scored.stdout, missing.stderr):
        assert "\x1b" not in output
        assert "\x07" not in output
        assert "\u202e" not in output
    assert "Ada \\x1b]0;pwned\\x07\\x1b[2J Byrne" in listed.stdout
    assert "\\x1b[31m\\u202eway" in scored.stdout
    assert missing.returncode == 2


# ---- a finished visit's stored result always follows its answers and rooms --------------------


def test_an_answer_saved_while_a_visit_is_finished_is_in_its_stored_result(
    ws: Workspace, db_url: str, content: Content, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Finishing reads, scores, then writes; an answer saved in between must not be left out of
    the stored result (PostgreSQL: the visit row is locked; SQLite: one writer at a time)."""
    import threading

    from safetycheck.services import assessments as visits
    from safetycheck.services.people import create_person

    info = visits.start_assessment(ws, create_person(ws, "Ada").id, "C", Mode.OT, Mode.OT)
    hall = next(r.id for r in visits.load_assessment(ws, info.id).rooms if r.kind == "hallway")
    from safetycheck.domain.evaluation import evaluate as real

    scoring = threading.Event()
    go_on = threading.Event()

    def slow_evaluate(*args: Any, **kwargs: Any) -> Any:
        if threading.current_thread().name == "finisher":
            scoring.set()
            go_on.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr("safetycheck.services.assessments.evaluate", slow_evaluate)
    other = open_workspace(db_url, content)
    finisher = threading.Thread(
        target=visits.finish_assessment, args=(ws, info.id), name="finisher"
    )
    try:
        finisher.start()
        assert scoring.wait(10)
        answering = threading.Thread(
            target=visits.record_answer, args=(other, info.id, "room.floors.rugs", hall, "no")
        )
        answering.start()
        answering.join(0.5)  # it waits for the finisher (or, without the lock, it is done)
        go_on.set()
        finisher.join(30)
        answering.join(30)
    finally:
        other.close()
    stored = visits.get_info(ws, info.id)
    fresh = real(content, visits.load_assessment(ws, info.id))
    assert visits.load_assessment(ws, info.id).answer("room.floors.rugs", hall) is not None
    assert (stored.level, stored.score) == (fresh.result.level_range.key, fresh.result.score)
    assert any(a.item == "room.floors.rugs" for a in visits.list_actions(ws, info.id))


def test_changing_the_rooms_of_a_finished_visit_moves_its_stored_result(ws: Workspace) -> None:
    from safetycheck.services import assessments as visits
    from safetycheck.services.people import create_person

    def stored_is_fresh() -> bool:
        stored = visits.get_info(ws, info.id)
        fresh = visits.evaluate_visit(ws, info.id).result
        return (stored.level, stored.score) == (fresh.level_range.key, fresh.score)

    info = visits.start_assessment(ws, create_person(ws, "Ada").id, "C", Mode.OT, Mode.OT)
    hall = next(r.id for r in visits.load_assessment(ws, info.id).rooms if r.kind == "hallway")
    visits.record_answer(ws, info.id, "room.floors.rugs", hall, "no")
    visits.record_answer(ws, info.id, "person.fd.present", None, "yes")  # trips count more
    visits.finish_assessment(ws, info.id)
    before = visits.get_info(ws, info.id).score
    on_route = visits.load_assessment(ws, info.id).room(hall).night_route
    visits.update_room(ws, hall, night_route=not on_route)
    assert stored_is_fresh()
    visits.remove_room(ws, hall)
    assert stored_is_fresh()
    assert visits.get_info(ws, info.id).score != before  # the rug went with the hallway
    assert not any(a.room == hall for a in visits.list_actions(ws, info.id))


def test_an_imported_finished_visit_with_some_ticks_gets_every_action(ws: Workspace) -> None:
    from safetycheck.services import assessments as visits
    from safetycheck.services.transfer import import_document

    document = json.loads(DEMO_VISIT.read_text(encoding="utf-8"))
    document["assessment"]["status"] = "completed"
    first_hazard = next(
        a for a in document["answers"] if a["value"] == "no" and a["room"] is not None
    )
    document["actions"] = [
        {
            "kind": "hazard",
            "item": first_hazard["item"],
            "room": first_hazard["room"],
            "status": "done",
            "done_on": "2026-11-01",
            "note": "fixed",
        }
    ]
    visit = import_document(ws, document)
    actions = visits.list_actions(ws, visit)
    planned = visits.evaluate_visit(ws, visit).plan.actions
    assert len(actions) == len(planned) > 1
    assert [a.status.value for a in actions if a.note == "fixed"] == ["done"]


def test_a_database_reached_through_a_link_is_protected_with_its_real_wal(
    demo_db: Path, tmp_path: Path
) -> None:
    link = tmp_path / "link.sqlite3"
    link.symlink_to(demo_db)
    url = f"sqlite:///{link}"
    assert cli("demo", db=url).returncode == 0  # written through the link: -wal beside the file
    real_wal = demo_db.with_name(demo_db.name + "-wal")
    listed = cli("list", db=url)
    assert listed.returncode == 0
    assert listed.stdout.count("José Álvarez (demo)") == 4  # two demos of two visits each
    assert_bad_input(cli("checklist", "-o", real_wal, db=url), "file in use")
