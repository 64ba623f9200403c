"""The assessment interchange file (JSON, format version 4): read with checks, write losslessly.

The format is documented in docs/interchange.md. Reading checks everything against the checklist
and reports the first problem with its place in the file (`answers[3].value: ...`). An older
file is read as version 4 with nothing in the fields later versions added (version 1: no falls
recorded, no edited actions; versions 1 and 2: no sign-off details, no next review, no home
exercises; versions 1 to 3: no print copies of the photos, which are then made by whoever
needs them): it had no place for them.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Collection, Mapping
from dataclasses import replace
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

from safetycheck.checked import CheckedMapping
from safetycheck.domain.assessment import (
    ACTION_STATUSES,
    ActionKind,
    ActionState,
    ActionStatus,
    Answer,
    AnswerValueError,
    Assessment,
    Assessor,
    Person,
    Photo,
    Prescription,
    PrintCopy,
    RoomInstance,
    VisitStatus,
    check_answer,
)
from safetycheck.domain.checklist import (
    Checklist,
    Item,
    Mode,
    Priority,
    RetiredItem,
    Who,
    least_safe,
)
from safetycheck.domain.falls import (
    MAX_ROOM_NAME,
    MAX_TEXT,
    Fall,
    FallPlace,
    FallsSinceLastVisit,
    FallValueError,
    Seen,
    check_count,
    check_fall,
)
from safetycheck.domain.signoff import (
    DETAIL_WORDS,
    EXERCISE_IDS,
    MAX_DETAIL,
    MAX_DOSE,
    MAX_EXERCISE_ID,
    SignOffValueError,
    check_line,
    check_next_review,
    check_prescriptions,
)
from safetycheck.exchange.errors import ExchangeError
from safetycheck.imaging import (
    MAX_COPY_DIFFERENCE,
    MAX_STORED_PIXELS,
    PRINT_MAX_SIDE,
    NotAnImageError,
    copy_difference,
    decode_image,
    fits_print_size,
)

if TYPE_CHECKING:
    from PIL.Image import Image as Picture

FORMAT_NAME = "safetycheck.assessment"
FORMAT_VERSION = 4
# What each version added, so a reader can refuse its keys in an older file.
ADDED_IN_2 = ("falls_since_last_visit",)
ACTION_EDITS = ("text", "priority", "who")
ADDED_IN_3 = ("exercises",)  # at the top level
ASSESSMENT_ADDED_IN_3 = ("next_review",)  # in "assessment"
ASSESSOR_ADDED_IN_3 = tuple(DETAIL_WORDS)  # in "assessment.assessor": credentials, ...
PHOTO_ADDED_IN_4 = ("print_copy",)  # in each of "photos"
MAX_ACTION_TEXT = 2_000
MAX_NOTE = 20_000
MAX_PHOTO_BYTES = 20 * 1024 * 1024
# A print copy is at most PRINT_MAX_SIDE square at imaging.PRINT_QUALITY: the largest this program
# makes (from pure noise, 900 x 900) is 0.6 MB, so 2 MB leaves room for another JPEG encoder and
# refuses a copy padded with something else before its base64 is decoded.
MAX_PRINT_COPY_BYTES = 2 * 1024 * 1024
PRINT_COPY_MODES = ("RGB", "L")
MEDIA_TYPES = ("image/jpeg", "image/png")
SHA256 = re.compile(r"^[0-9a-f]{64}$")
PERSON_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
MAX_SIDE = 20_000
ACTION_KINDS = tuple(kind.value for kind in ActionKind)
_E = TypeVar("_E", bound=StrEnum)


def _fail(place: str, problem: str) -> NoReturn:
    raise ExchangeError(f"{place}: {problem}" if place else problem)


MAX_FILE_BYTES = 200 * 1024 * 1024
# Dates and times outside these years are typing mistakes or attacks, not visits.
EARLIEST = date(1900, 1, 1)
LATEST = date(2200, 12, 31)


def read_document(path: Path) -> Any:
    """Read a JSON file: a plain file of sane size, UTF-8, valid JSON, or one clear error."""
    try:
        if not path.is_file():
            if path.is_dir():
                raise ExchangeError(f"{path}: is a folder, not a file")
            if path.exists():
                raise ExchangeError(f"{path}: is not a regular file")
            raise ExchangeError(f"{path}: no such file")
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ExchangeError(f"{path}: larger than {MAX_FILE_BYTES // 2**20} MB")
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ExchangeError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise ExchangeError(f"{path}: cannot be read ({exc.strerror})") from None
    try:
        return load_json(text)
    except ExchangeError as exc:
        raise ExchangeError(f"{path}: {exc}") from None


def load_json(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ExchangeError(
            f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    except (RecursionError, ValueError) as exc:  # absurd nesting, a 5,000-digit number
        raise ExchangeError(f"not usable JSON ({type(exc).__name__})") from None


def read_assessment_file(
    path: Path, checklist: Checklist, exercises: Collection[str] = EXERCISE_IDS
) -> Assessment:
    """Read and check an assessment file."""
    document = read_document(path)
    try:
        return assessment_from_document(document, checklist, exercises)
    except ExchangeError as exc:
        raise ExchangeError(f"{path}: {exc}") from None


def parse_assessment(
    text: str, checklist: Checklist, exercises: Collection[str] = EXERCISE_IDS
) -> Assessment:
    return assessment_from_document(load_json(text), checklist, exercises)


class _Obj(CheckedMapping):
    """One JSON object, with checked getters that know their place in the file."""

    what = "an object"
    missing_text = "missing"
    wrong_type_text = "wrong type ({found})"

    def fail(self, problem: str, key: str | None = None) -> NoReturn:
        _fail(self.at(key) if key is not None else self.place, problem)

    @property
    def value(self) -> dict[str, Any]:
        return self.data

    def at(self, key: str) -> str:
        return f"{self.place}.{key}" if self.place else key

    def get(self, key: str, kinds: type | tuple[type, ...], required: bool = True) -> Any:
        return self.typed(key, kinds, "", required)

    def text(self, key: str, required: bool = True, limit: int = 500) -> str:
        value = self.get(key, str, required)
        if value is None:
            return ""
        if len(value) > limit:
            self.fail(f"longer than {limit} characters", key)
        if "\x00" in value:
            self.fail("contains a NUL character", key)
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate such as "\ud800": not text
            self.fail("is not valid text (a broken \\u escape)", key)
        return str(value)

    def only(self, *keys: str) -> None:
        self.mark_read(*keys)
        unknown = self.unknown_keys()
        if unknown:
            self.fail(f"unknown key '{unknown[0]}'")


def _not_before(version: int, added_in: int, obj: _Obj, keys: tuple[str, ...]) -> None:
    """Refuse the keys a later version added in an older file."""
    if version < added_in:
        for key in keys:
            if key in obj.value:
                _fail(
                    obj.at(key),
                    f"not part of format version {version} (added in version {added_in})",
                )


def assessment_from_document(
    document: Any, checklist: Checklist, exercises: Collection[str] = EXERCISE_IDS
) -> Assessment:
    """Build an Assessment from a parsed JSON document, checking every field.

    `exercises` are the ids of the home exercises a prescription may name (the content's)."""
    root = _Obj(document, "")
    if root.value.get("format") != FORMAT_NAME:
        _fail("format", f"not a safetycheck assessment file (expected '{FORMAT_NAME}')")
    version = root.get("format_version", int)
    if version > FORMAT_VERSION:
        _fail(
            "format_version",
            f"{version} is newer than this program reads ({FORMAT_VERSION}); update safetycheck",
        )
    if version < 1:
        _fail("format_version", f"{version} is not a valid version")
    _not_before(version, 2, root, ADDED_IN_2)
    _not_before(version, 3, root, ADDED_IN_3)
    root.only(
        "format",
        "format_version",
        "exported_at",
        "checklist_version",
        "model_version",
        "person",
        "assessment",
        "rooms",
        "answers",
        "photos",
        "actions",
        *ADDED_IN_2,
        *ADDED_IN_3,
    )
    checklist_version = root.text("checklist_version")
    if checklist_version not in checklist.readable_versions:
        readable = " or ".join(checklist.readable_versions)
        _fail(
            "checklist_version",
            f"'{checklist_version}' is not a checklist this program reads ({readable})",
        )
    model_version = root.text("model_version", limit=20)

    person = _person(_Obj(root.get("person", dict), "person"))

    meta = _Obj(root.get("assessment", dict), "assessment")
    _not_before(version, 3, meta, ASSESSMENT_ADDED_IN_3)
    meta.only("id", "date", "assessor", "mode", "status", *ASSESSMENT_ADDED_IN_3)
    assessor_obj = _Obj(meta.get("assessor", dict), "assessment.assessor")
    _not_before(version, 3, assessor_obj, ASSESSOR_ADDED_IN_3)
    assessor_obj.only("name", "role", *ASSESSOR_ADDED_IN_3)
    role = _mode(assessor_obj, "role")
    mode = _mode(meta, "mode")
    raw_date = meta.text("date", limit=10)
    try:
        when = date.fromisoformat(raw_date)
    except ValueError:
        _fail("assessment.date", f"'{raw_date}' is not a date like 2026-11-26")
    raw_status = meta.text("status")
    try:
        status = VisitStatus(raw_status)
    except ValueError:
        _fail("assessment.status", f"'{raw_status}' is not in_progress or completed")

    rooms = _rooms(root, checklist)
    room_kind = {room.id: room.kind for room in rooms}
    answers = _answers(root, checklist, rooms)

    photos = [
        _photo(_Obj(raw, f"photos[{n}]"), checklist, room_kind, version)
        for n, raw in enumerate(root.get("photos", list, required=False) or [])
    ]
    actions = _actions(root, checklist, room_kind, version)
    falls = _falls(root, when, rooms)
    details = [_detail(assessor_obj, key) for key in ASSESSOR_ADDED_IN_3]
    next_review = _next_review(meta, when)
    prescribed = _exercises(root, role, exercises)

    return Assessment(
        id=meta.text("id", limit=100),
        person=person,
        assessor=Assessor(assessor_obj.text("name", limit=200), role, *details),
        mode=mode,
        date=when,
        checklist_version=checklist_version,
        model_version=model_version,
        rooms=tuple(rooms),
        answers=tuple(answers),
        status=status,
        photos=tuple(photos),
        actions=tuple(actions),
        falls=falls,
        next_review=next_review,
        exercises=prescribed,
    )


def _detail(obj: _Obj, key: str) -> str:
    """One of the assessor's sign-off details (version 3): one line of text, "" when absent."""
    value = obj.text(key, required=False, limit=MAX_DETAIL)
    try:
        return check_line(value, key, DETAIL_WORDS[key], MAX_DETAIL)
    except SignOffValueError as exc:
        _fail(obj.at(key), _lower_first(str(exc)))


def _next_review(meta: _Obj, visit_date: date) -> date | None:
    """The next review (version 3): a date from the visit's on, or null (absent) for not set."""
    if meta.value.get("next_review") is None:
        return None
    raw = meta.text("next_review", limit=10)
    try:
        when = date.fromisoformat(raw)
    except ValueError:
        _fail(meta.at("next_review"), f"'{raw}' is not a date like 2026-11-26")
    try:
        return check_next_review(when, visit_date)
    except SignOffValueError as exc:
        _fail(meta.at("next_review"), _lower_first(str(exc)))


def _exercises(root: _Obj, role: Mode, known: Collection[str]) -> tuple[Prescription, ...]:
    """The home exercises prescribed (version 3): each {"exercise": id, "dose": text}."""
    entries = root.get("exercises", list, required=False) or []
    prescriptions = []
    for n, raw in enumerate(entries):
        obj = _Obj(raw, f"exercises[{n}]")
        obj.only("exercise", "dose")
        prescriptions.append(
            Prescription(
                obj.text("exercise", limit=MAX_EXERCISE_ID),
                obj.text("dose", required=False, limit=MAX_DOSE),
            )
        )
    try:
        return check_prescriptions(prescriptions, role, known)
    except SignOffValueError as exc:
        place = "exercises" if exc.index is None else f"exercises[{exc.index}].{exc.field}"
        _fail(place, _lower_first(str(exc)))


def _lower_first(sentence: str) -> str:
    """A domain sentence as the rest of a place's message ("...: the dose of ... can be ...")."""
    text = sentence.removesuffix(".")
    return text[:1].lower() + text[1:] if text[:1].isupper() and text[1:2].islower() else text


def _person(obj: _Obj) -> Person:
    obj.only("id", "name", "birth_year", "notes")
    birth_year = obj.get("birth_year", int, required=False)
    if birth_year is not None and not 1880 <= birth_year <= 2100:
        _fail("person.birth_year", f"{birth_year} is not a plausible year")
    person_id = obj.text("id", limit=100)
    if not PERSON_ID.match(person_id):
        _fail("person.id", "must be 1 to 32 letters, digits, '-' or '_'")
    name = obj.text("name", limit=200)
    if not name.strip():
        _fail("person.name", "is empty")
    return Person(
        id=person_id,
        name=name,
        birth_year=birth_year,
        notes=obj.text("notes", required=False, limit=MAX_NOTE),
    )


def _rooms(root: _Obj, checklist: Checklist) -> list[RoomInstance]:
    rooms: list[RoomInstance] = []
    room_ids: set[str] = set()
    kinds = {kind.id for kind in checklist.room_kinds}
    for n, raw in enumerate(root.get("rooms", list)):
        obj = _Obj(raw, f"rooms[{n}]")
        obj.only("id", "kind", "name", "night_route", "stairs_daily")
        room_id = obj.text("id", limit=100)
        if room_id in room_ids:
            _fail(obj.at("id"), f"'{room_id}' is used by two rooms")
        kind = obj.text("kind")
        if kind not in kinds:
            _fail(obj.at("kind"), f"unknown room kind '{kind}'")
        room_ids.add(room_id)
        rooms.append(
            RoomInstance(
                id=room_id,
                kind=kind,
                name=obj.text("name", limit=200),
                night_route=bool(obj.get("night_route", bool, required=False)),
                stairs_daily=bool(obj.get("stairs_daily", bool, required=False)),
            )
        )
    return rooms


def _answers(root: _Obj, checklist: Checklist, rooms: list[RoomInstance]) -> list[Answer]:
    room_kind = {room.id: room.kind for room in rooms}
    answers: list[Answer] = []
    seen: set[tuple[str, str | None]] = set()
    for n, raw in enumerate(root.get("answers", list)):
        answer = _answer(_Obj(raw, f"answers[{n}]"), checklist, room_kind)
        key = (answer.item, answer.room)
        if key in seen:
            _fail(f"answers[{n}]", f"a second answer for '{answer.item}' in the same room")
        seen.add(key)
        answers.append(answer)
    carried = _carried(checklist, answers, seen)
    return answers + carried + carried_from_rooms(checklist, answers, rooms, seen)


def carried_from_rooms(
    checklist: Checklist,
    answers: list[Answer],
    rooms: list[RoomInstance],
    seen: set[tuple[str, str | None]],
) -> list[Answer]:
    """The one answer for the whole home that follows from an earlier checklist's answers to a
    question it asked in every room (the same as the database migration 0003 does): the least
    safe of them. A hazard found in any room carries; a safe answer only when every room it
    was asked in has one (a room left unanswered could have held the hazard). A question
    answered anew keeps its answer."""
    carried = []
    for retired in checklist.retired:
        if not (retired.per_room and retired.replaced_by) or (retired.replaced_by, None) in seen:
            continue
        target = checklist.item(retired.replaced_by)
        by_room = {a.room: a for a in answers if a.item == retired.id}
        in_rooms = [room for room in rooms if retired.asked_in_room(room.kind)]
        asked = [room for room in in_rooms if room.id in by_room]
        if not asked:
            continue
        mapping = dict(retired.carried)
        values = [mapping.get(str(by_room[room.id].value)) for room in asked]
        value = least_safe(target, [v for v in values if v is not None])
        if value is None or None in values:
            continue
        if value not in target.hazard_if and len(asked) < len(in_rooms):
            # A hazard in one room is the home's whatever the others hold; "safe" follows only
            # from every room (one left unanswered could have held the hazard).
            continue
        notes = "\n".join(
            f"{room.name}: {by_room[room.id].note}" for room in asked if by_room[room.id].note
        )
        times = [t for room in asked if (t := by_room[room.id].answered_at) is not None]
        carried.append(
            Answer(
                item=target.id,
                room=None,
                value=value,
                note=notes[:MAX_NOTE],
                answered_at=max(times) if times else None,
            )
        )
    return carried


def _carried(
    checklist: Checklist, answers: list[Answer], seen: set[tuple[str, str | None]]
) -> list[Answer]:
    """Answers of an earlier checklist that follow exactly for the question replacing them
    (the same as the database migration 0002 does), where that question has no answer."""
    carried = []
    given = {a.item: str(a.value) for a in answers if a.room is None}
    for answer in answers:
        retired = checklist.retired_item(answer.item)
        if retired is None or not retired.replaced_by or (retired.replaced_by, None) in seen:
            continue
        if retired.per_room:
            continue  # many answers make one: carried_from_rooms
        if not all(condition.holds(given) for condition in retired.carry_if):
            continue  # kept from before its question stopped applying: not a current answer
        value = dict(retired.carried).get(str(answer.value))
        if value is not None:
            carried.append(replace(answer, item=retired.replaced_by, value=value))
    return carried


def _mode(obj: _Obj, key: str) -> Mode:
    value = obj.text(key)
    try:
        return Mode(value)
    except ValueError:
        _fail(obj.at(key), f"'{value}' is not caregiver or ot")


def _slot(obj: _Obj, checklist: Checklist, room_kind: dict[str, str]) -> tuple[Item, str | None]:
    """The item and room of an answer, photo or action, checked against each other."""
    item_id = obj.text("item", limit=200)
    if not checklist.has_item(item_id):
        _fail(obj.at("item"), f"unknown item id '{item_id}'")
    item = checklist.item(item_id)
    room = obj.get("room", str, required=False)
    if item.person_level and room is not None:
        _fail(obj.at("room"), f"'{item_id}' is about the person, so room must be null")
    if not item.person_level:
        if room is None:
            _fail(obj.at("room"), f"'{item_id}' is a room check and needs a room")
        if room not in room_kind:
            _fail(obj.at("room"), f"no room with id '{room}' in rooms")
        if not item.applies_to_room(room_kind[room]):
            _fail(obj.at("room"), f"'{item_id}' is not asked in a room of kind '{room_kind[room]}'")
    return item, room


def _slot_id(obj: _Obj, checklist: Checklist, room_kind: dict[str, str]) -> tuple[str, str | None]:
    """Like _slot, for photos and plan actions, which may also belong to a question an earlier
    checklist asked (kept as they were, like its answer)."""
    retired = checklist.retired_item(obj.text("item", limit=200))
    if retired is None:
        item, room = _slot(obj, checklist, room_kind)
        return item.id, room
    return retired.id, _retired_room(obj, retired, room_kind)


def _timestamp(obj: _Obj, key: str) -> datetime | None:
    raw = obj.text(key, required=False, limit=40)
    if not raw:
        return None
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        _fail(obj.at(key), f"'{raw}' is not a date and time like 2026-11-26T10:15:00+00:00")
    if moment.tzinfo is None:
        _fail(obj.at(key), "needs a time zone offset, like +00:00")
    try:
        in_utc = moment.astimezone(UTC)
    except OverflowError:  # 9999-12-31T23:59:59-23:59 is past the last moment Python knows
        in_utc = None
    if in_utc is None or not EARLIEST.year <= in_utc.year <= LATEST.year:
        _fail(obj.at(key), f"'{raw}' is not a date and time this program can use")
    return moment


def _retired_room(obj: _Obj, retired: RetiredItem, room_kind: dict[str, str]) -> str | None:
    room: str | None = obj.get("room", str, required=False)
    if not retired.per_room and room is not None:
        _fail(obj.at("room"), f"'{retired.id}' is about the person, so room must be null")
    if retired.per_room and room not in room_kind:
        _fail(obj.at("room"), f"'{retired.id}' was asked per room and needs a room in rooms")
    return room


def _retired_answer(obj: _Obj, retired: RetiredItem, room_kind: dict[str, str]) -> Answer:
    """An answer to a question an earlier checklist asked: kept as it was, scored by nothing."""
    room = _retired_room(obj, retired, room_kind)
    if "value" not in obj.value:
        _fail(obj.at("value"), "missing")
    value = obj.value["value"]
    if not isinstance(value, str) or value not in retired.values:
        _fail(
            obj.at("value"),
            f"'{value}' is not an answer of '{retired.id}' ({', '.join(retired.values)})",
        )
    if obj.text("unit", required=False, limit=10):
        _fail(obj.at("unit"), f"'{retired.id}' is not a measurement")
    return Answer(
        item=retired.id,
        room=room,
        value=value,
        note=obj.text("note", required=False, limit=MAX_NOTE),
        answered_at=_timestamp(obj, "answered_at"),
    )


def _answer(obj: _Obj, checklist: Checklist, room_kind: dict[str, str]) -> Answer:
    obj.only("item", "room", "value", "note", "unit", "answered_at")
    retired = checklist.retired_item(obj.text("item", limit=200))
    if retired is not None:
        return _retired_answer(obj, retired, room_kind)
    item, room = _slot(obj, checklist, room_kind)
    item_id = item.id
    answered_at = _timestamp(obj, "answered_at")
    note = obj.text("note", required=False, limit=MAX_NOTE)
    unit = obj.text("unit", required=False, limit=10)
    if "value" not in obj.value:
        _fail(obj.at("value"), "missing")
    try:
        value, unit = check_answer(item, obj.value["value"], unit)
    except AnswerValueError as exc:
        _fail(obj.at(exc.field), str(exc))
    return Answer(
        item=item_id, room=room, value=value, note=note, unit=unit, answered_at=answered_at
    )


def _photo(obj: _Obj, checklist: Checklist, room_kind: dict[str, str], version: int) -> Photo:
    _not_before(version, 4, obj, PHOTO_ADDED_IN_4)
    obj.only(
        "id",
        "item",
        "room",
        "filename",
        "media_type",
        "width",
        "height",
        "data",
        "original_sha256",
        "original_bytes",
        *PHOTO_ADDED_IN_4,
    )
    item_id, room = _slot_id(obj, checklist, room_kind)
    media_type = obj.text("media_type")
    if media_type not in MEDIA_TYPES:
        _fail(obj.at("media_type"), f"'{media_type}' is not one of {', '.join(MEDIA_TYPES)}")
    data = _base64(obj, "data", MAX_PHOTO_BYTES)
    digest = obj.text("original_sha256", required=False, limit=64)
    if digest and not SHA256.match(digest):
        _fail(obj.at("original_sha256"), "not a SHA-256 hex digest")
    sizes = []
    for key, most in (("width", MAX_SIDE), ("height", MAX_SIDE), ("original_bytes", 2**31)):
        number = obj.get(key, int)
        if number < 0 or (key != "original_bytes" and number == 0) or number > most:
            _fail(obj.at(key), f"must be a whole number from 1 to {most}")
        sizes.append(number)
    image = _check_image(obj, data, media_type, sizes[0], sizes[1])
    raw_copy = obj.get("print_copy", dict, required=False)
    for_print = (
        _print_copy(_Obj(raw_copy, obj.at("print_copy")), sizes[0], sizes[1], data, image)
        if raw_copy is not None
        else None
    )
    return Photo(
        id=obj.text("id", limit=100),
        item=item_id,
        room=room,
        filename=obj.text("filename", limit=255),
        media_type=media_type,
        width=sizes[0],
        height=sizes[1],
        data=data,
        original_sha256=digest,
        original_bytes=sizes[2],
        for_print=for_print,
    )


def _base64(obj: _Obj, key: str, most_bytes: int) -> bytes:
    encoded = obj.text(key, limit=most_bytes * 2)
    if len(encoded) > -(-most_bytes // 3) * 4:  # checked before it is decoded
        _fail(obj.at(key), f"is larger than {most_bytes / (1024 * 1024):g} MB")
    try:
        return base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        _fail(obj.at(key), "not valid base64")


def _print_copy(obj: _Obj, width: int, height: int, photo_data: bytes, photo: Picture) -> PrintCopy:
    """A photo's print copy (format 4), checked as strictly as the photo: a JPEG in colour or
    grey decoded in full, its size as it says, the size a print copy of this photo has, and a
    picture of this photo (imaging.copy_difference)."""
    from PIL import Image

    obj.only("width", "height", "data")
    sizes = []
    for key in ("width", "height"):
        number = obj.get(key, int)
        if not 1 <= number <= PRINT_MAX_SIDE:
            _fail(obj.at(key), f"must be a whole number from 1 to {PRINT_MAX_SIDE}")
        sizes.append(number)
    if not fits_print_size(width, height, sizes[0], sizes[1]):
        _fail(
            obj.at("width"),
            f"says {sizes[0]} x {sizes[1]}, which is not the print size of a "
            f"{width} x {height} photo (at most {PRINT_MAX_SIDE} on its long side, same shape)",
        )
    data = _base64(obj, "data", MAX_PRINT_COPY_BYTES)
    try:
        image = decode_image(data, PRINT_MAX_SIDE * PRINT_MAX_SIDE)
    except NotAnImageError as exc:
        _fail(obj.at("data"), f"is not a picture that can be used: {exc}")
    kind, size = Image.MIME.get(image.format or "", ""), image.size
    if kind != "image/jpeg":
        _fail(obj.at("data"), f"must be a JPEG picture, but it is {kind or 'unknown'}")
    if size != (sizes[0], sizes[1]):
        _fail(
            obj.at("width"),
            f"says {sizes[0]} x {sizes[1]} but the picture is {size[0]} x {size[1]}",
        )
    if image.mode not in PRINT_COPY_MODES:
        _fail(
            obj.at("data"),
            f"must be a colour (RGB) or grey picture, but its colours are {image.mode}",
        )
    if data != photo_data and copy_difference(photo, image) > MAX_COPY_DIFFERENCE:
        obj.fail("is not a copy of this photo")
    return PrintCopy(data, sizes[0], sizes[1])


def _check_image(obj: _Obj, data: bytes, media_type: str, width: int, height: int) -> Picture:
    """The photo must really be the picture it claims to be, decoded in full (it is printed
    later), and no larger than a stored copy can be (imaging.MAX_STORED_PIXELS)."""
    from PIL import Image

    try:
        image = decode_image(data, MAX_STORED_PIXELS)
    except NotAnImageError as exc:
        _fail(obj.at("data"), f"is not a picture that can be used: {exc}")
    kind, size = Image.MIME.get(image.format or "", ""), image.size
    if kind != media_type:
        _fail(obj.at("media_type"), f"says {media_type} but the data is {kind or 'unknown'}")
    if size != (width, height):
        _fail(obj.at("width"), f"says {width} x {height} but the picture is {size[0]} x {size[1]}")
    return image


def _actions(
    root: _Obj, checklist: Checklist, room_kind: dict[str, str], version: int
) -> list[ActionStatus]:
    actions: list[ActionStatus] = []
    seen: set[tuple[str, str, str | None]] = set()
    for n, raw in enumerate(root.get("actions", list, required=False) or []):
        action = _action_status(_Obj(raw, f"actions[{n}]"), checklist, room_kind, version)
        key = (action.kind.value, action.item, action.room)
        if key in seen:
            _fail(f"actions[{n}]", f"a second entry for the action on '{action.item}'")
        seen.add(key)
        actions.append(action)
    return actions


def _action_status(
    obj: _Obj, checklist: Checklist, room_kind: dict[str, str], version: int
) -> ActionStatus:
    if version < 2:
        for key in ACTION_EDITS:
            if key in obj.value:
                _fail(obj.at(key), f"not part of format version {version} (added in version 2)")
    obj.only("kind", "item", "room", "status", "done_on", "note", *ACTION_EDITS)
    raw_kind = obj.text("kind")
    if raw_kind not in ACTION_KINDS:
        _fail(obj.at("kind"), f"'{raw_kind}' is not one of {', '.join(ACTION_KINDS)}")
    kind = ActionKind(raw_kind)
    if kind is ActionKind.PERSON:
        # Person actions are keyed by a model factor id, not a checklist item.
        item_id, room = obj.text("item", limit=100), obj.get("room", str, required=False)
        if room is not None:
            _fail(obj.at("room"), "person actions have no room")
    else:
        item_id, room = _slot_id(obj, checklist, room_kind)
    raw_status = obj.text("status")
    if raw_status not in ACTION_STATUSES:
        _fail(obj.at("status"), f"'{raw_status}' is not one of {', '.join(ACTION_STATUSES)}")
    status = ActionState(raw_status)
    raw_date = obj.text("done_on", required=False, limit=10)
    done_on = None
    if raw_date:
        try:
            done_on = date.fromisoformat(raw_date)
        except ValueError:
            _fail(obj.at("done_on"), f"'{raw_date}' is not a date like 2026-11-26")
    return ActionStatus(
        kind,
        item_id,
        room,
        status,
        done_on,
        obj.text("note", required=False, limit=MAX_NOTE),
        _edited_text(obj),
        _edit_choice(obj, "priority", [p.value for p in Priority]),
        _edit_choice(obj, "who", [w.value for w in Who]),
    )


def _edited_text(obj: _Obj) -> str | None:
    """An action's own wording: null or absent for the plan's own; never blank (a blank edit
    is stored as the plan's own, so a file cannot hold one)."""
    if obj.value.get("text") is None:
        return None
    text = obj.text("text", limit=MAX_ACTION_TEXT)
    if not text.strip():
        _fail(obj.at("text"), "is blank (leave it out for the plan's own wording)")
    return text


def _edit_choice(obj: _Obj, key: str, allowed: list[str]) -> str | None:
    if obj.value.get(key) is None:
        return None
    value = obj.text(key, limit=40)
    if value not in allowed:
        _fail(obj.at(key), f"'{value}' is not one of {', '.join(allowed)}")
    return value


def _choice(obj: _Obj, key: str, kind: type[_E]) -> _E:
    value = obj.text(key, limit=40)
    try:
        return kind(value)
    except ValueError:
        _fail(obj.at(key), f"'{value}' is not one of {', '.join(m.value for m in kind)}")


def _falls(root: _Obj, visit_date: date, rooms: list[RoomInstance]) -> FallsSinceLastVisit | None:
    """The falls since the last visit: null (or absent) when none were recorded.

    A fall in a room names the room by its id in `rooms`; it is kept under that id (a file has
    no room keys: the store gives the room its key and the fall goes with it).
    """
    raw = root.value.get("falls_since_last_visit")
    if raw is None:
        return None
    obj = _Obj(root.get("falls_since_last_visit", dict), "falls_since_last_visit")
    obj.only("count", "since_visit_id", "since_date", "falls")
    entries = obj.get("falls", list)
    try:
        count = check_count(obj.get("count", int), len(entries))
    except FallValueError as exc:
        _fail(obj.at("count"), str(exc))
    since_visit = obj.get("since_visit_id", str, required=False)
    if since_visit is not None:
        since_visit = obj.text("since_visit_id", limit=100)
    since_date = None
    raw_since = obj.text("since_date", required=False, limit=10)
    if raw_since:
        try:
            since_date = date.fromisoformat(raw_since)
        except ValueError:
            _fail(obj.at("since_date"), f"'{raw_since}' is not a date like 2026-11-26")
        if not EARLIEST <= since_date <= visit_date:
            _fail(obj.at("since_date"), f"'{raw_since}' is not a date before the visit")
    names = {room.id: room.name for room in rooms}
    falls = tuple(
        _fall(_Obj(entry, f"falls_since_last_visit.falls[{n}]"), visit_date, names)
        for n, entry in enumerate(entries)
    )
    return FallsSinceLastVisit(count, falls, since_visit, since_date)


def _fall(obj: _Obj, visit_date: date, room_names: dict[str, str]) -> Fall:
    obj.only("month", "hurt", "place", "room", "room_name", "what_happened", "seen")
    room = obj.get("room", str, required=False)
    if room is not None and room not in room_names:
        _fail(obj.at("room"), f"no room with id '{room}' in rooms")
    place = _choice(obj, "place", FallPlace)
    room_name = obj.text("room_name", required=False, limit=MAX_ROOM_NAME)
    if place is FallPlace.ROOM and room is not None and "room_name" not in obj.value:
        room_name = room_names[room]
    fall = Fall(
        month=obj.text("month", limit=7),
        hurt=obj.text("hurt", limit=20),
        place=place,
        room_key=room,
        room_name=room_name,
        what_happened=obj.text("what_happened", required=False, limit=MAX_TEXT),
        seen=_choice(obj, "seen", Seen),
    )
    try:
        return check_fall(fall, visit_date, None)
    except FallValueError as exc:
        key = {"what happened": "what_happened", "the room's name": "room_name"}.get(
            exc.field, exc.field
        )
        _fail(obj.at(key), str(exc))


def assessment_to_document(
    assessment: Assessment,
    exported_at: str | None = None,
    room_keys: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The JSON document for an assessment; reading it back gives an equal assessment.

    `room_keys` (room id -> key, as a stored visit has them) lets a fall name its room by the
    room's id in the file; without it a fall's room is taken to be a room id already (an
    assessment read from a file).
    """
    document: dict[str, Any] = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
    }
    if exported_at is not None:
        document["exported_at"] = exported_at
    person = assessment.person
    document.update(
        {
            "checklist_version": assessment.checklist_version,
            "model_version": assessment.model_version,
            "person": {
                "id": person.id,
                "name": person.name,
                "birth_year": person.birth_year,
                "notes": person.notes,
            },
            "assessment": {
                "id": assessment.id,
                "date": assessment.date.isoformat(),
                "assessor": {
                    "name": assessment.assessor.name,
                    "role": assessment.assessor.role.value,
                    "credentials": assessment.assessor.credentials,
                    "organisation": assessment.assessor.organisation,
                    "contact": assessment.assessor.contact,
                },
                "mode": assessment.mode.value,
                "status": assessment.status.value,
                "next_review": (
                    assessment.next_review.isoformat() if assessment.next_review else None
                ),
            },
            "rooms": [
                {
                    "id": r.id,
                    "kind": r.kind,
                    "name": r.name,
                    "night_route": r.night_route,
                    "stairs_daily": r.stairs_daily,
                }
                for r in assessment.rooms
            ],
            "answers": [_answer_document(a) for a in assessment.answers],
        }
    )
    if assessment.photos:
        document["photos"] = [
            {
                "id": p.id,
                "item": p.item,
                "room": p.room,
                "filename": p.filename,
                "media_type": p.media_type,
                "width": p.width,
                "height": p.height,
                "original_sha256": p.original_sha256,
                "original_bytes": p.original_bytes,
                "data": base64.b64encode(p.data).decode("ascii"),
                **_print_copy_document(p),
            }
            for p in assessment.photos
        ]
    if assessment.actions:
        document["actions"] = [
            {
                "kind": a.kind.value,
                "item": a.item,
                "room": a.room,
                "status": a.status.value,
                "done_on": a.done_on.isoformat() if a.done_on else None,
                "note": a.note,
            }
            | {key: value for key, value in _edits(a) if value is not None}
            for a in assessment.actions
        ]
    document["falls_since_last_visit"] = _falls_document(assessment, room_keys or {})
    if assessment.exercises:
        document["exercises"] = [
            {"exercise": p.exercise, "dose": p.dose} for p in assessment.exercises
        ]
    return document


def _print_copy_document(photo: Photo) -> dict[str, Any]:
    """The photo's print copy for the file, left out when it has none."""
    printed = photo.for_print
    if printed is None:
        return {}
    return {
        "print_copy": {
            "width": printed.width,
            "height": printed.height,
            "data": base64.b64encode(printed.data).decode("ascii"),
        }
    }


def _edits(action: ActionStatus) -> tuple[tuple[str, str | None], ...]:
    return (("text", action.text), ("priority", action.priority), ("who", action.who))


def _falls_document(assessment: Assessment, room_keys: Mapping[str, str]) -> dict[str, Any] | None:
    report = assessment.falls
    if report is None or report.count is None:
        return None
    room_of_key = {key: room_id for room_id, key in room_keys.items()}
    room_ids = {room.id for room in assessment.rooms}

    def room(key: str | None) -> str | None:
        if key is None:
            return None
        if key in room_of_key:
            return room_of_key[key]
        # A room id already (read from a file), or a room since removed from the visit: then
        # only its name is kept.
        return key if key in room_ids else None

    return {
        "count": report.count,
        "since_visit_id": report.since_visit_id,
        "since_date": report.since_date.isoformat() if report.since_date else None,
        "falls": [
            {
                "month": f.month,
                "hurt": f.hurt,
                "place": f.place.value,
                "room": room(f.room_key),
                "room_name": f.room_name,
                "what_happened": f.what_happened,
                "seen": f.seen.value,
            }
            for f in report.falls
        ],
    }


def _answer_document(answer: Answer) -> dict[str, Any]:
    entry: dict[str, Any] = {"item": answer.item, "room": answer.room, "value": answer.value}
    if answer.unit:
        entry["unit"] = answer.unit
    if answer.note:
        entry["note"] = answer.note
    if answer.answered_at is not None:
        entry["answered_at"] = answer.answered_at.isoformat()
    return entry
