"""Photos of one answer: thumbnails you can open, view larger and remove, and the file dialog
that picks a new one (it opens in the Pictures folder, never the program's working folder).

The photos are stored in the database, downscaled (safetycheck.imaging). Their bytes are read
in the background, once per photo: a photo never changes once stored, so the bytes are kept
by photo id for the rest of the run.
"""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QSize, QStandardPaths, Qt, Signal
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from safetycheck.domain.visits import PhotoInfo

from .flow_layout import FlowLayout
from .operations import Change, Done, Operations, ask
from .settings import Settings
from .style import plain_label, set_role
from .text_size import first_size

if TYPE_CHECKING:
    from .session import WalkthroughSession

PICTURES_FILTER = "*.jpg *.jpeg *.png *.gif *.bmp *.tif *.tiff *.webp *.heic"
THUMBNAIL_LINES = 4  # a thumbnail is as tall as this many lines of text: it grows with the text
THUMBNAIL_STORED = 256  # pixels: thumbnails are made once at this size and shown smaller
KEPT_PHOTOS = 48  # photos kept in memory (bytes and thumbnail: about 0.5 MB each)

# photo id -> (the stored bytes, the thumbnail), the most recently used last.
_kept: OrderedDict[str, tuple[bytes, QImage]] = OrderedDict()


def _tr(text: str) -> str:
    return QCoreApplication.translate("photos", text)


def pictures_folder() -> Path:
    """Where photos usually are: the last folder a photo came from, else the system's Pictures
    folder, else the home folder (never the working folder: it is the program's own)."""
    remembered = Settings().photo_folder
    if remembered is not None:
        return remembered
    pictures = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.PicturesLocation)
    if pictures and Path(pictures).is_dir():
        return Path(pictures)
    return Path.home()


def choose_photo_file(parent: QWidget | None) -> Path | None:
    """Ask for a photo file, starting in pictures_folder(); None if cancelled. The folder of the
    photo chosen is remembered for the next one."""
    name, _ = QFileDialog.getOpenFileName(
        parent,
        _tr("Choose a photo"),
        str(pictures_folder()),
        _tr("Pictures ({patterns})").format(patterns=PICTURES_FILTER),
    )
    if not name:
        return None
    path = Path(name)
    Settings().photo_folder = path.parent
    return path


def _keep(photo_id: str, data: bytes, thumbnail: QImage) -> None:
    _kept[photo_id] = (data, thumbnail)
    _kept.move_to_end(photo_id)
    while len(_kept) > KEPT_PHOTOS:
        _kept.popitem(last=False)


def _read_photos(session: WalkthroughSession, wanted: set[str]) -> dict[str, bytes]:
    """The stored bytes of these photos of the session's visit (off the GUI thread)."""
    from safetycheck.services import assessments as visits

    assessment = visits.load_assessment(session.ws, session.assessment_id, with_photos=True)
    return {photo.id: photo.data for photo in assessment.photos if photo.id in wanted}


def _thumbnail(data: bytes) -> QImage:
    image = QImage.fromData(data)
    if image.isNull():
        return image
    return image.scaled(
        THUMBNAIL_STORED,
        THUMBNAIL_STORED,
        Qt.AspectRatioMode.KeepAspectRatio,
        Qt.TransformationMode.SmoothTransformation,
    )


class PhotoStrip(QWidget):
    """The photos of one answer slot as a row of thumbnails (wrapping when narrow). Each is a
    button named for screen readers ("Photo 1 of 2: <question>"); pressing it opens the photo
    larger, with a Remove button. Hidden while the slot has no photos.

    Signals:
        removed(str): a photo (its id) was removed, after the user confirmed it.

    Attributes:
        buttons: one thumbnail button per photo, in the order they were added.
        viewer: the larger view open now, if any.
    """

    removed = Signal(str)

    def __init__(
        self,
        session: WalkthroughSession,
        ops: Operations,
        item_id: str,
        room_id: str | None,
        question_text: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.ops = ops
        self.item_id = item_id
        self.room_id = room_id
        self.question_text = question_text
        self.buttons: list[QToolButton] = []
        self.viewer: PhotoViewer | None = None
        self._shown: list[PhotoInfo] = []
        self._layout = FlowLayout(self)
        self.setAccessibleName(_tr("Photos: {question}").format(question=question_text))
        self.refresh()

    @property
    def photos(self) -> list[PhotoInfo]:
        """The photos shown, as the session has them."""
        return list(self._shown)

    def refresh(self) -> None:
        """Show the session's photos of this slot now (after one is added or removed); their
        pictures follow once read."""
        photos = self.session.photos_for(self.item_id, self.room_id)
        if [p.id for p in photos] != [p.id for p in self._shown]:
            self._rebuild(photos)
        self.setVisible(bool(photos))
        missing = {p.id for p in photos if p.id not in _kept}
        if missing:
            session = self.session
            self.ops.query(
                self,
                lambda: {
                    photo_id: (data, _thumbnail(data))
                    for photo_id, data in _read_photos(session, missing).items()
                },
                self._arrived,
                title=_tr("The photos could not be shown"),
            )

    def _rebuild(self, photos: list[PhotoInfo]) -> None:
        for button in self.buttons:
            self._layout.removeWidget(button)
            button.deleteLater()
        self.buttons = []
        self._shown = list(photos)
        for number, photo in enumerate(photos, start=1):
            button = QToolButton(self)
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            button.setAutoRaise(False)
            button.setAccessibleName(
                _tr("Photo {number} of {total}: {question}").format(
                    number=number, total=len(photos), question=self.question_text
                )
            )
            # The file name for screen readers (never as a tooltip: tooltips render markup).
            button.setAccessibleDescription(photo.filename)
            button.setText(_tr("Photo {number}").format(number=number))
            button.clicked.connect(lambda _checked=False, photo=photo: self.open_photo(photo))
            self._layout.addWidget(button)
            self.buttons.append(button)
        self._show_pictures()

    def _arrived(self, found: dict[str, tuple[bytes, QImage]]) -> None:
        for photo_id, (data, image) in found.items():
            _keep(photo_id, data, image)
        self._show_pictures()

    def _side(self) -> int:
        return self.fontMetrics().height() * THUMBNAIL_LINES

    def _show_pictures(self) -> None:
        side = self._side()
        for button, photo in zip(self.buttons, self._shown, strict=True):
            kept = _kept.get(photo.id)
            image = kept[1] if kept is not None else None
            if image is None or image.isNull():
                # Not read yet, or not readable: the number and file name say which it is.
                button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
                continue
            button.setIcon(QIcon(QPixmap.fromImage(image)))
            button.setIconSize(QSize(side, side))
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._show_pictures()  # the thumbnails grow with the text

    def open_photo(self, photo: PhotoInfo) -> None:
        """The photo larger, once its bytes are in (read now if they were dropped)."""
        kept = _kept.get(photo.id)
        if kept is not None:
            self._open_viewer(photo, kept[0])
            return
        session = self.session
        self.ops.query(
            self,
            lambda: _read_photos(session, {photo.id}),  # dropped from memory meanwhile
            lambda found: self._open_viewer(photo, found.get(photo.id)),
            title=_tr("The photo could not be shown"),
        )

    def _open_viewer(self, photo: PhotoInfo, data: bytes | None) -> None:
        if data is not None and photo.id not in _kept:
            _keep(photo.id, data, _thumbnail(data))
        number = next((n for n, p in enumerate(self._shown, 1) if p.id == photo.id), 1)
        viewer = PhotoViewer(photo, data, number, len(self._shown), self.question_text, self)
        viewer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        viewer.remove_button.clicked.connect(lambda: self.remove(photo, viewer))
        viewer.destroyed.connect(lambda _obj=None: self._viewer_closed(viewer))
        self.viewer = viewer
        viewer.open()

    def _viewer_closed(self, viewer: PhotoViewer) -> None:
        if self.viewer is viewer:
            self.viewer = None

    def remove(self, photo: PhotoInfo, over: QWidget | None = None) -> bool:
        """Remove the photo once the user confirms; True if it was removed."""
        parent = over if over is not None else self
        if not ask(
            parent,
            _tr("Remove this photo?"),
            _tr("The photo {name} will be removed from this answer. This cannot be undone.").format(
                name=photo.filename
            ),
        ):
            return False
        session = self.session
        outcome = self.ops.now(
            parent,
            lambda: session.remove_photo(photo.id),
            title=_tr("The photo was not removed"),
            changes=Change.ANSWERS,
        )
        if not isinstance(outcome, Done):
            return False
        _kept.pop(photo.id, None)
        if isinstance(over, QDialog):
            over.accept()
        self.refresh()
        self.removed.emit(photo.id)
        return True


class PhotoViewer(QDialog):
    """One photo, as large as the screen allows, with its file name, and Remove or Close.

    Attributes:
        picture: the label showing the photo.
        remove_button: removes the photo (after asking).
    """

    def __init__(
        self,
        photo: PhotoInfo,
        data: bytes | None,
        number: int,
        total: int,
        question_text: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.photo = photo
        self.setWindowTitle(_tr("Photo {number} of {total}").format(number=number, total=total))
        question = plain_label(question_text)
        question.setWordWrap(True)
        set_role(question, "heading")
        self.picture = plain_label()
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setAccessibleName(
            _tr("Photo {number} of {total}: {question}").format(
                number=number, total=total, question=question_text
            )
        )
        name = plain_label(photo.filename)
        name.setWordWrap(True)
        set_role(name, "help")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.remove_button = QPushButton(_tr("&Remove this photo…"))
        self.remove_button.setAutoDefault(False)
        self.buttons.addButton(self.remove_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(question)
        layout.addWidget(self.picture, 1)
        layout.addWidget(name)
        layout.addWidget(self.buttons)
        # At most about three quarters of the screen, whatever the photo's size.
        room = first_size(self, None)
        image = QImage.fromData(data) if data is not None else QImage()
        if image.isNull():
            self.picture.setText(_tr("This photo cannot be shown."))
        else:
            bound = QSize(int(room.width() * 0.85), int(room.height() * 0.7))
            pixmap = QPixmap.fromImage(image)
            if pixmap.width() > bound.width() or pixmap.height() > bound.height():
                pixmap = pixmap.scaled(
                    bound,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            self.picture.setPixmap(pixmap)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setFocus()
