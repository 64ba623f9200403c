"""Print copies of photos on a real database (SQLite, and PostgreSQL when a server is given):
made once when a photo is attached or imported and stored with it, used by every report without
making it again, kept through export and import and through a deleted visit put back; a
database from before migration 0006 opens with its photos intact, and they still print."""

from __future__ import annotations

import copy
import io
import json
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import create_engine, inspect
from support import EXAMPLES, TickingClock, downgrade_to

from safetycheck.content import Content
from safetycheck.domain.assessment import Photo
from safetycheck.imaging import print_copy
from safetycheck.services import assessments as visits
from safetycheck.services import progress, removal, reports
from safetycheck.services.demo import create_demo
from safetycheck.services.transfer import export_document, import_document
from safetycheck.services.workspace import Workspace, open_workspace
from safetycheck.store.database import sqlite_file
from safetycheck.store.schema import HEAD_REVISION

PRINT_COLUMNS = {"print_data", "print_width", "print_height"}


def camera_photo(path: Path, size: tuple[int, int] = (2400, 1800)) -> Path:
    Image.effect_noise(size, 40).convert("RGB").save(path, format="JPEG")
    return path


def hallway(ws: Workspace, visit_id: str) -> str:
    return next(r.id for r in visits.load_assessment(ws, visit_id).rooms if r.kind == "hallway")


def with_photo(ws: Workspace, tmp_path: Path) -> str:
    """The demo's newest visit with a camera photo of a cable attached."""
    newest = create_demo(ws)
    picture = camera_photo(tmp_path / "cord.jpg")
    visits.attach_photo(ws, newest, "room.clutter.cords", hallway(ws, newest), picture)
    return newest


def stored_photo(ws: Workspace, visit_id: str) -> Photo:
    (photo,) = visits.load_assessment(ws, visit_id, with_photos=True).photos
    return photo


def counting(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """Every print copy a report makes from now on."""
    made: list[bytes] = []

    def counted(data: bytes) -> tuple[bytes, int, int]:
        made.append(data)
        return print_copy(data)

    monkeypatch.setattr(reports, "print_copy", counted)
    return made


def printed_images(path: Path) -> list[tuple[str, str, str]]:
    """(type, width, height) of each image the PDF holds."""
    listing = subprocess.run(
        ["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    return [(f[2], f[3], f[4]) for f in (line.split() for line in listing)]


def test_the_print_copy_is_made_when_the_photo_is_attached_and_stored(
    ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    newest = with_photo(ws, tmp_path)
    photo = stored_photo(ws, newest)
    assert (photo.width, photo.height) == (1600, 1200)
    assert photo.for_print is not None
    assert (photo.for_print.width, photo.for_print.height) == (900, 675)
    with Image.open(io.BytesIO(photo.for_print.data)) as image:
        assert (image.format, image.size) == ("JPEG", (900, 675))
    # The report prints the stored copy and makes none.
    made = counting(monkeypatch)
    report = reports.plan_report_for_visit(ws, newest)
    target = tmp_path / "plan.pdf"
    reports.write_plan_pdf(report, target)
    assert made == []
    assert printed_images(target) == [("image", "900", "675")]
    # Without the photo's details, its bytes are not read.
    (info,) = visits.list_photos(ws, newest)
    assert (info.width, info.height) == (1600, 1200)


def test_a_photo_from_an_older_file_gets_its_copy_when_it_is_imported(
    ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = export_document(ws, with_photo(ws, tmp_path))
    assert document["format_version"] == 4
    kept = document["photos"][0].pop("print_copy")
    document["format_version"] = 3
    imported = import_document(ws, document)
    photo = stored_photo(ws, imported)
    assert photo.for_print is not None
    assert (photo.for_print.width, photo.for_print.height) == (kept["width"], kept["height"])
    made = counting(monkeypatch)
    reports.plan_report_for_visit(ws, imported)
    assert made == []


def test_export_import_export_keeps_the_print_copy(ws: Workspace, tmp_path: Path) -> None:
    newest = with_photo(ws, tmp_path)
    first = export_document(ws, newest)
    again = export_document(ws, import_document(ws, copy.deepcopy(first)))

    def photos(document: dict[str, Any]) -> list[dict[str, Any]]:  # not the ids of this database
        return [{k: v for k, v in p.items() if k not in ("id", "room")} for p in document["photos"]]

    assert photos(again) == photos(first)  # the same bytes, the print copy's included
    assert set(first["photos"][0]["print_copy"]) == {"width", "height", "data"}
    assert (
        stored_photo(ws, newest).for_print == stored_photo(ws, import_document(ws, again)).for_print
    )


def test_a_deleted_visit_comes_back_with_its_print_copies(ws: Workspace, tmp_path: Path) -> None:
    newest = with_photo(ws, tmp_path)
    before = stored_photo(ws, newest)
    removal.restore(ws, removal.delete_visit(ws, newest))
    after = stored_photo(ws, newest)
    assert after.for_print is not None
    assert after == before


def test_the_summary_shows_a_small_picture_of_each_photo(ws: Workspace, tmp_path: Path) -> None:
    newest = with_photo(ws, tmp_path)
    (recorded,) = progress.visit_summary(ws, newest).photos
    with Image.open(io.BytesIO(recorded.thumbnail)) as image:
        assert (image.format, image.size) == ("JPEG", (160, 120))


# ---- a database from before migration 0006 ----------------------------------------------------


def columns(url: str) -> tuple[set[str], str]:
    engine = create_engine(url)
    try:
        found = {column["name"] for column in inspect(engine).get_columns("photos")}
        with engine.connect() as connection:
            revision = connection.exec_driver_sql("SELECT version_num FROM alembic_version")
            return found, str(revision.scalar_one())
    finally:
        engine.dispose()


def without_print_copies(document: dict[str, Any]) -> dict[str, Any]:
    old = copy.deepcopy(document)
    del old["exported_at"]
    for photo in old.get("photos", []):
        photo.pop("print_copy", None)
    return old


def test_a_0005_database_migrates_and_its_photos_still_print(
    db_url: str, content: Content, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = open_workspace(db_url, content, clock=TickingClock())
    try:
        newest = with_photo(ws, tmp_path)
        imported = import_document(ws, json.loads((EXAMPLES / "recent-faller.json").read_text()))
        before = {key: without_print_copies(export_document(ws, key)) for key in (newest, imported)}
    finally:
        ws.close()
    downgrade_to(db_url, "0005")
    found, revision = columns(db_url)
    assert revision == "0005"
    assert not found & PRINT_COLUMNS

    ws = open_workspace(db_url, content, clock=TickingClock())
    try:
        path = sqlite_file(db_url)
        if path is not None:  # SQLite: copied, as it was, before it was migrated
            assert ws.database is not None
            backup_path = ws.database.backup_path
            assert backup_path is not None
            assert ".before-0005-" in backup_path.name
            backup = sqlite3.connect(backup_path)
            try:
                kept = {row[1] for row in backup.execute("PRAGMA table_info(photos)")}
                assert not kept & PRINT_COLUMNS
                assert backup.execute("SELECT count(*) FROM photos").fetchone() == (1,)
            finally:
                backup.close()
        found, revision = columns(db_url)
        assert (revision, found >= PRINT_COLUMNS) == (HEAD_REVISION, True)
        after = {key: without_print_copies(export_document(ws, key)) for key in before}
        assert after == before
        # Its photo has no print copy: the report makes one, and prints it.
        photo = stored_photo(ws, newest)
        assert photo.for_print is None
        assert "print_copy" not in export_document(ws, newest)["photos"][0]
        made = counting(monkeypatch)
        target = tmp_path / "old.pdf"
        reports.write_plan_pdf(reports.plan_report_for_visit(ws, newest), target)
        assert made == [photo.data]
        assert printed_images(target) == [("image", "900", "675")]
        # A photo attached now has its copy.
        picture = camera_photo(tmp_path / "rug.jpg", (1200, 1600))
        visits.attach_photo(ws, newest, "room.floors.rugs", hallway(ws, newest), picture)
        copies = {p.filename: p.for_print for p in visits.load_assessment(ws, newest, True).photos}
        assert copies["cord.jpg"] is None
        rug = copies["rug.jpg"]
        assert rug is not None
        assert (rug.width, rug.height) == (675, 900)
    finally:
        ws.close()


def test_the_migration_goes_back_and_forth(db_url: str, content: Content, tmp_path: Path) -> None:
    """Downgrading 0006 takes the print copies away and keeps everything else; upgrading again
    gives empty columns (the reports make the copies again)."""
    ws = open_workspace(db_url, content, clock=TickingClock())
    try:
        newest = with_photo(ws, tmp_path)
        kept = without_print_copies(export_document(ws, newest))
    finally:
        ws.close()
    downgrade_to(db_url, "0005")
    ws = open_workspace(db_url, content, clock=TickingClock())
    try:
        assert without_print_copies(export_document(ws, newest)) == kept
        assert stored_photo(ws, newest).for_print is None
    finally:
        ws.close()
