"""Password protection of a finished PDF: AES-256 (PDF 2.0 security handler, revision 6), with
a separate random owner password, printing allowed and changes not.

ReportLab's own encryption is RC4 (40 or 128 bit) unless the unmaintained `pyaes` is installed,
and it is slow in pure Python; qpdf, through pikepdf, is the reference implementation.
"""

from __future__ import annotations

import io
import secrets
from typing import Any

MIN_PASSWORD = 1


class PasswordError(ValueError):
    """A password that cannot protect a file (an empty one)."""


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise PasswordError("the password is empty; give one, or leave the PDF unprotected")


def protect(pdf: bytes, password: str) -> bytes:
    """The same PDF, encrypted with AES-256: `password` opens it for reading and printing."""
    return finish(pdf, password)


def finish(pdf: bytes, password: str | None = None, language: str = "en") -> bytes:
    """The PDF as it is written: XMP metadata matching its document information (title,
    author, subject, keywords, creator, dates) and its language, which PDF/A and accessibility
    checkers look for and ReportLab does not write; encrypted when a password is given."""
    import pikepdf

    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(pdf)) as document:
        if "/Trapped" in document.docinfo:  # no XMP equivalent: unknown, so left out
            del document.docinfo["/Trapped"]
        with document.open_metadata(set_pikepdf_as_editor=False) as meta:
            meta.load_from_docinfo(document.docinfo)
            meta["dc:language"] = [language]
        document.Root.Lang = pikepdf.String(language)
        if password is None:
            document.save(out)
        else:
            document.save(out, encryption=_encryption(password))
    return out.getvalue()


def _encryption(password: str) -> Any:
    import pikepdf

    check_password(password)
    return pikepdf.Encryption(
        user=password,
        owner=secrets.token_urlsafe(32),  # nobody needs it: changing the plan is not allowed
        R=6,
        aes=True,
        allow=pikepdf.Permissions(
            accessibility=True,
            extract=False,
            modify_annotation=False,
            modify_assembly=False,
            modify_form=False,
            modify_other=False,
            print_lowres=True,
            print_highres=True,
        ),
    )
