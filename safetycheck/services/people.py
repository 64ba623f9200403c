"""Use cases for people: create, edit, find, list (paged, searchable by name)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from safetycheck.services.errors import ConflictError, InvalidInputError, NotFoundError
from safetycheck.services.pages import Page, check_paging
from safetycheck.services.workspace import Workspace
from safetycheck.store.records import PersonRecord
from safetycheck.store.unit_of_work import ConcurrentEditError, UnitOfWork, fold

MAX_NAME = 200
MAX_NOTES = 20_000


@dataclass(frozen=True, slots=True)
class PersonView:
    """A person as the lists and forms show them."""

    id: str
    name: str
    birth_year: int | None
    notes: str
    version: int
    visits: int = 0
    last_visit: date | None = None


def _view(record: PersonRecord, visits: int = 0, last: date | None = None) -> PersonView:
    return PersonView(
        record.id, record.name, record.birth_year, record.notes, record.version, visits, last
    )


def _checked(ws: Workspace, name: str, birth_year: int | None, notes: str) -> str:
    clean = " ".join(name.split())
    if not clean:
        raise InvalidInputError("a person needs a name")
    if len(clean) > MAX_NAME:
        raise InvalidInputError(f"a name can be at most {MAX_NAME} characters")
    if birth_year is not None and not 1880 <= birth_year <= ws.today().year:
        raise InvalidInputError(f"{birth_year} is not a plausible year of birth")
    if len(notes) > MAX_NOTES:
        raise InvalidInputError(f"notes can be at most {MAX_NOTES} characters")
    return clean


def create_person(
    ws: Workspace, name: str, birth_year: int | None = None, notes: str = ""
) -> PersonView:
    clean = _checked(ws, name, birth_year, notes)
    with UnitOfWork(ws.database) as uow:
        record = uow.add_person(clean, birth_year, notes, ws.now())
        uow.commit()
        return _view(record)


def edit_person(
    ws: Workspace,
    person_id: str,
    *,
    name: str,
    birth_year: int | None,
    notes: str,
    expected_version: int,
) -> PersonView:
    """Change a person's details; refused if someone else changed them since they were read."""
    clean = _checked(ws, name, birth_year, notes)
    with UnitOfWork(ws.database) as uow:
        record = uow.person(person_id)
        if record is None:
            raise NotFoundError(f"no person with id '{person_id}'")
        if record.version != expected_version:
            raise ConflictError(
                f"{record.name}'s details were changed by someone else; reload them and try again"
            )
        record.name = clean
        record.name_folded = fold(clean)
        record.birth_year = birth_year
        record.notes = notes
        record.updated_at = ws.now()
        try:
            uow.commit()
        except ConcurrentEditError:
            raise ConflictError(
                f"{clean}'s details were changed by someone else; reload them and try again"
            ) from None
        return get_person(ws, person_id)


def get_person(ws: Workspace, person_id: str) -> PersonView:
    with UnitOfWork(ws.database) as uow:
        record = uow.person(person_id)
        if record is None:
            raise NotFoundError(f"no person with id '{person_id}'")
        visits, last = uow.visit_counts([person_id]).get(person_id, (0, None))
        return _view(record, visits, last)


def list_people(
    ws: Workspace, search: str = "", offset: int = 0, limit: int = 50
) -> Page[PersonView]:
    """People ordered by name; `search` matches any part of the name, ignoring case and accents."""
    check_paging(offset, limit)
    with UnitOfWork(ws.database) as uow:
        total, records = uow.people_page(search.strip(), offset, limit)
        counts = uow.visit_counts([r.id for r in records]) if records else {}
        items = tuple(_view(r, *counts.get(r.id, (0, None))) for r in records)
    return Page(items, total, offset, limit)
