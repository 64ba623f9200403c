"""Use cases for people: create, edit, find, list (paged, searchable by name)."""

from __future__ import annotations

from dataclasses import replace

from safetycheck.domain.visits import PersonView
from safetycheck.services.errors import ConflictError, InvalidInputError, NotFoundError
from safetycheck.services.pages import Page, bad_cursor, check_paging, search_text
from safetycheck.services.workspace import Workspace
from safetycheck.store.errors import ConcurrentEditError

__all__ = ["PersonView", "create_person", "edit_person", "get_person", "list_people"]

MAX_NAME = 200
MAX_NOTES = 20_000


def checked_details(ws: Workspace, name: str, birth_year: int | None, notes: str) -> str:
    """A person's name as stored, or InvalidInputError for a name, year or notes refused."""
    clean = " ".join(name.split())
    if not clean:
        raise InvalidInputError("A person needs a name.")
    if len(clean) > MAX_NAME:
        raise InvalidInputError(f"A name can be at most {MAX_NAME} characters.")
    if birth_year is not None and not 1880 <= birth_year <= ws.today().year:
        raise InvalidInputError(f"{birth_year} is not a plausible year of birth.")
    if len(notes) > MAX_NOTES:
        raise InvalidInputError(f"Notes can be at most {MAX_NOTES} characters.")
    return clean


def create_person(
    ws: Workspace, name: str, birth_year: int | None = None, notes: str = ""
) -> PersonView:
    clean = checked_details(ws, name, birth_year, notes)
    with ws.unit_of_work() as uow:
        person = uow.people.add(clean, birth_year, notes, ws.now())
        uow.commit()
    return person


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
    clean = checked_details(ws, name, birth_year, notes)
    with ws.unit_of_work() as uow:
        person = uow.people.get(person_id)
        if person is None:
            raise NotFoundError(f"no person with id '{person_id}'")
        conflict = ConflictError(
            f"{person.name}'s details were changed by someone else. Open them again and try again."
        )
        if person.version != expected_version:
            raise conflict
        try:
            uow.people.update(
                person_id,
                name=clean,
                birth_year=birth_year,
                notes=notes,
                now=ws.now(),
                expected_version=expected_version,
            )
            uow.commit()
        except ConcurrentEditError:
            raise conflict from None
    return replace(
        person, name=clean, birth_year=birth_year, notes=notes, version=person.version + 1
    )


def get_person(ws: Workspace, person_id: str) -> PersonView:
    with ws.unit_of_work(read_only=True) as uow:
        person = uow.people.get(person_id)
    if person is None:
        raise NotFoundError(f"no person with id '{person_id}'")
    return person


def list_people(
    ws: Workspace, search: str = "", after: str | None = None, limit: int = 50
) -> Page[PersonView]:
    """People ordered by name; `search` matches any part of the name, ignoring case and accents.

    A page at a time: `after` is the `Page.after` of the page before (None: the first page)."""
    check_paging(limit)
    with ws.unit_of_work(read_only=True) as uow:
        try:
            people, last, more = uow.people.page(search_text(search), after, limit)
        except ValueError:
            raise bad_cursor() from None
    return Page(tuple(people), last, more)
