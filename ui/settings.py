"""What the program remembers between runs, typed: text size, window geometry, the last folders
(PDFs, photos), the last walkthrough mode and assessor, the unit lengths are measured in. Each
setting has one key and one default, here."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from safetycheck.domain.checklist import Mode

FONT_SCALES = (1.0, 1.15, 1.3, 1.5, 1.75, 2.0)
# The units a length can be typed in (the stored answer keeps its unit: domain LENGTH_UNITS).
LENGTH_UNIT_NAMES = ("mm", "in")


def next_font_scale(current: float, step: int) -> float:
    """One size larger (+1), smaller (-1), or back to normal (0), within FONT_SCALES."""
    if step == 0:
        return FONT_SCALES[0]
    index = FONT_SCALES.index(current) if current in FONT_SCALES else 0
    return FONT_SCALES[min(max(index + step, 0), len(FONT_SCALES) - 1)]


class Settings:
    """The program's settings, stored by QSettings in the platform's usual place.

    Every property reads its key when asked (a fresh QSettings each time), so the values are
    those of the organisation and application names in force, as tests set them.
    """

    FONT_SCALE = "ui/font_scale"
    GEOMETRY = "window/geometry"
    LAST_FOLDER = "export/last_folder"
    PHOTO_FOLDER = "photos/last_folder"
    LAST_MODE = "walkthrough/last_mode"
    LAST_ASSESSOR = "walkthrough/last_assessor"
    LENGTH_UNIT = "measure/length_unit"
    LARGE_PRINT = "reports/large_print"

    def _value(self, key: str) -> object:
        return QSettings().value(key)

    def _set(self, key: str, value: object) -> None:
        QSettings().setValue(key, value)

    @property
    def font_scale(self) -> float:
        """How much larger than the system font the text is (one of FONT_SCALES)."""
        try:
            scale = float(str(self._value(self.FONT_SCALE) or 1.0))
        except ValueError:
            return 1.0
        return scale if scale in FONT_SCALES else 1.0

    @font_scale.setter
    def font_scale(self, scale: float) -> None:
        self._set(self.FONT_SCALE, scale if scale in FONT_SCALES else 1.0)

    @property
    def geometry(self) -> QByteArray | None:
        """The main window's last size and place, as QWidget.saveGeometry gave it."""
        value = self._value(self.GEOMETRY)
        if isinstance(value, QByteArray):
            return value
        if isinstance(value, bytes):
            return QByteArray(value)
        return None

    @geometry.setter
    def geometry(self, value: QByteArray) -> None:
        self._set(self.GEOMETRY, value)

    @property
    def last_folder(self) -> Path:
        """Where the last PDF was saved (the home folder at first)."""
        value = self._value(self.LAST_FOLDER)
        return Path(value) if isinstance(value, str) and value else Path.home()

    @last_folder.setter
    def last_folder(self, folder: Path) -> None:
        self._set(self.LAST_FOLDER, str(folder))

    @property
    def photo_folder(self) -> Path | None:
        """The folder the last photo was chosen from, if it still exists (the next photo of a
        walkthrough is usually beside it)."""
        value = self._value(self.PHOTO_FOLDER)
        if isinstance(value, str) and value and Path(value).is_dir():
            return Path(value)
        return None

    @photo_folder.setter
    def photo_folder(self, folder: Path) -> None:
        self._set(self.PHOTO_FOLDER, str(folder))

    @property
    def last_mode(self) -> Mode:
        """The mode of the last walkthrough started (caregiver at first)."""
        try:
            return Mode(str(self._value(self.LAST_MODE) or Mode.CAREGIVER.value))
        except ValueError:
            return Mode.CAREGIVER

    @last_mode.setter
    def last_mode(self, mode: Mode) -> None:
        self._set(self.LAST_MODE, mode.value)

    @property
    def last_assessor(self) -> str:
        """The name typed as "Your name" last time."""
        value = self._value(self.LAST_ASSESSOR)
        return value if isinstance(value, str) else ""

    @last_assessor.setter
    def last_assessor(self, name: str) -> None:
        self._set(self.LAST_ASSESSOR, name)

    @property
    def length_unit(self) -> str:
        """The one unit lengths are typed and shown in, everywhere: "mm" (at first) or "in"."""
        value = self._value(self.LENGTH_UNIT)
        return value if value in LENGTH_UNIT_NAMES else "mm"

    @length_unit.setter
    def length_unit(self, unit: str) -> None:
        self._set(self.LENGTH_UNIT, unit if unit in LENGTH_UNIT_NAMES else "mm")

    @property
    def large_print(self) -> bool:
        """Whether action plans are printed in large print (body text 14 pt, not 11)."""
        return str(self._value(self.LARGE_PRINT)).lower() in ("true", "1")

    @large_print.setter
    def large_print(self, on: bool) -> None:
        self._set(self.LARGE_PRINT, bool(on))
