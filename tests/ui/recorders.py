"""Recorders for modal dialogs in the GUI tests: each replaces a static Qt dialog function,
writes down what was asked, and answers with what the test set beforehand."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

KINDS = {
    QMessageBox.Icon.Warning: "warning",
    QMessageBox.Icon.Information: "information",
    QMessageBox.Icon.Critical: "critical",
    QMessageBox.Icon.Question: "question",
    QMessageBox.Icon.NoIcon: "about",
}


class MessageBoxes:
    """Records modal message boxes instead of showing them; answers questions with `reply`.

    The program's boxes (operations.message) are real QMessageBox objects whose `exec` is
    replaced: `formats` keeps the text format each was given (the hostile-text test checks
    them), and `shown` what it said. Qt's static functions are recorded too, in case one is
    used (their format is AutoText).
    """

    def __init__(self) -> None:
        self.shown: list[tuple[str, str, str]] = []
        self.formats: list[Qt.TextFormat] = []
        self.reply = QMessageBox.StandardButton.Yes

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        for kind in ("warning", "information", "critical", "about"):
            monkeypatch.setattr(QMessageBox, kind, self._recorder(kind))
        monkeypatch.setattr(QMessageBox, "question", self._question)

        def exec_(box: QMessageBox) -> int:  # a function, so that it binds to the box
            return self._exec(box)

        monkeypatch.setattr(QMessageBox, "exec", exec_)

    def _exec(self, box: QMessageBox) -> int:
        kind = KINDS.get(box.icon(), "other")
        self.shown.append((kind, box.windowTitle(), box.text()))
        self.formats.append(box.textFormat())
        reply = self.reply if kind == "question" else QMessageBox.StandardButton.Ok
        return int(reply.value)

    def _recorder(self, kind: str) -> object:
        def record(
            _parent: QWidget | None, title: str, text: str, *_args: object, **_kwargs: object
        ) -> QMessageBox.StandardButton:
            self.shown.append((kind, title, text))
            self.formats.append(Qt.TextFormat.AutoText)
            return QMessageBox.StandardButton.Ok

        return staticmethod(record)

    def _question(
        self, _parent: QWidget | None, title: str, text: str, *_args: object, **_kwargs: object
    ) -> QMessageBox.StandardButton:
        self.shown.append(("question", title, text))
        self.formats.append(Qt.TextFormat.AutoText)
        return self.reply

    def last(self, kind: str) -> tuple[str, str]:
        """The title and text of the last box of this kind."""
        found = [(title, text) for shown, title, text in self.shown if shown == kind]
        assert found, f"no {kind} box among {self.shown}"
        return found[-1]


class FileDialogs:
    """Records file dialogs; each answers with the next of `answers` (a path), or cancels
    (an empty name) when none is left."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, str, str]] = []  # (kind, title, suggested name)
        self.answers: list[Path] = []

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        for kind in ("getSaveFileName", "getOpenFileName"):
            monkeypatch.setattr(QFileDialog, kind, self._recorder(kind))

    def _recorder(self, kind: str) -> object:
        def ask(
            _parent: QWidget | None,
            caption: str = "",
            directory: str = "",
            _filter: str = "",
            *_args: object,
            **_kwargs: object,
        ) -> tuple[str, str]:
            self.asked.append((kind, caption, directory))
            if not self.answers:
                return "", ""
            return str(self.answers.pop(0)), "PDF files (*.pdf)"

        return staticmethod(ask)


class InputDialogs:
    """Records QInputDialog questions; each answers with the next of `answers` (text), or
    cancels when none is left. getItem's answer must be one of the offered items."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, str, str]] = []  # (kind, title, label)
        self.answers: list[str] = []

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(QInputDialog, "getText", staticmethod(self._text))
        monkeypatch.setattr(QInputDialog, "getItem", staticmethod(self._item))

    def _next(self) -> tuple[str, bool]:
        return (self.answers.pop(0), True) if self.answers else ("", False)

    def _text(
        self, _parent: QWidget | None, title: str, label: str, *_args: object, **_kwargs: object
    ) -> tuple[str, bool]:
        self.asked.append(("text", title, label))
        return self._next()

    def _item(
        self,
        _parent: QWidget | None,
        title: str,
        label: str,
        items: list[str],
        *_args: object,
        **_kwargs: object,
    ) -> tuple[str, bool]:
        self.asked.append(("item", title, label))
        answer, ok = self._next()
        assert not ok or answer in items, f"{answer!r} is not offered: {items}"
        return answer, ok
