"""The visit being walked through: what has been saved, and saving each new answer at once."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from safetycheck.domain.assessment import (
    Answer,
    Assessment,
    RoomInstance,
    effective_facts,
    item_applies,
)
from safetycheck.domain.checklist import Checklist, Item
from safetycheck.domain.scoring import find_red_flags
from safetycheck.services import assessments as visits
from safetycheck.services.assessments import PhotoInfo
from safetycheck.services.workspace import Workspace

Slot = tuple[str, str | None]


class WalkthroughSession(QObject):
    """Holds the visit as saved and sends every change through the use cases.

    Signals:
        answered(str, object): an answer was saved (item id, room id or None).
        rooms_changed(): rooms were added, renamed or removed.
    Attributes:
        assessment: the visit as it is in the database now.
    """

    answered = Signal(str, object)
    rooms_changed = Signal()

    def __init__(self, ws: Workspace, assessment_id: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.assessment_id = assessment_id
        self.assessment: Assessment
        self.versions: dict[Slot, int] = {}
        self.photos: list[PhotoInfo] = []
        self.reload()

    def reload(self) -> None:
        snapshot = visits.load_visit(self.ws, self.assessment_id)
        self.assessment = snapshot.assessment
        self.versions = dict(snapshot.versions)
        self.photos = list(snapshot.photos)

    @property
    def checklist(self) -> Checklist:
        return self.ws.content.checklist

    def facts(self) -> dict[str, str]:
        """Only answers to questions that are asked count (see effective_facts)."""
        return effective_facts(self.checklist, self.assessment)

    def applies(self, item: Item) -> bool:
        return item_applies(item, self.facts(), self.assessment.mode)

    def answer(self, item: str, room: str | None) -> Answer | None:
        return self.assessment.answer(item, room)

    def rooms(self) -> tuple[RoomInstance, ...]:
        return self.assessment.rooms

    def save(
        self, item: str, room: str | None, value: str | float, note: str = "", unit: str = ""
    ) -> None:
        """Save one answer now (raises the service's errors; nothing changes if it fails)."""
        receipt = visits.record_answer(
            self.ws,
            self.assessment_id,
            item,
            room,
            value,
            note=note,
            unit=unit,
            expected_version=self.versions.get((item, room)),
        )
        self.versions[(item, room)] = receipt.version
        kept = tuple(a for a in self.assessment.answers if (a.item, a.room) != (item, room))
        self.assessment = replace(self.assessment, answers=(*kept, receipt.answer))
        self.answered.emit(item, room)

    def attach_photo(self, item: str, room: str | None, path: Path) -> PhotoInfo:
        info = visits.attach_photo(self.ws, self.assessment_id, item, room, path)
        self.photos.append(info)
        return info

    def remove_photo(self, photo_id: str) -> None:
        visits.remove_photo(self.ws, photo_id)
        self.photos = [p for p in self.photos if p.id != photo_id]

    def photos_for(self, item: str, room: str | None) -> list[PhotoInfo]:
        return [p for p in self.photos if (p.item, p.room) == (item, room)]

    def red_flags(self) -> list[str]:
        """Red flags raised by the answers so far, in walkthrough order (shown the moment they
        are answered, not only at the end)."""
        return [flag.text for flag in find_red_flags(self.checklist, self.assessment)]

    # ---- rooms --------------------------------------------------------------------------------

    def add_room(self, kind: str, name: str = "") -> RoomInstance:
        room = visits.add_room(self.ws, self.assessment_id, kind, name)
        self._rooms_reloaded()
        return room

    def update_room(
        self,
        room_id: str,
        *,
        name: str | None = None,
        night_route: bool | None = None,
        stairs_daily: bool | None = None,
    ) -> None:
        visits.update_room(
            self.ws, room_id, name=name, night_route=night_route, stairs_daily=stairs_daily
        )
        self._rooms_reloaded()

    def remove_room(self, room_id: str) -> None:
        visits.remove_room(self.ws, room_id)
        self._rooms_reloaded()

    def _rooms_reloaded(self) -> None:
        self.reload()
        self.rooms_changed.emit()

    def set_resume_point(self, key: str) -> None:
        visits.set_resume_point(self.ws, self.assessment_id, key)
