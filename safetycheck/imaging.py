"""Photo intake: check it is an image, turn it upright, drop its metadata, downscale it.

Location and camera data (EXIF) are removed: a photo of a hallway should not carry the home's
GPS position into a PDF or an exported file.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field

MAX_SIDE = 1600
MAX_INPUT_BYTES = 50 * 1024 * 1024
JPEG_QUALITY = 85


class NotAnImageError(ValueError):
    """The data is not a picture this program can read."""


@dataclass(frozen=True, slots=True)
class PreparedPhoto:
    """A downscaled copy ready to store, and the facts about the original."""

    data: bytes = field(repr=False)
    media_type: str
    width: int
    height: int
    original_sha256: str
    original_bytes: int


def prepare_photo(original: bytes) -> PreparedPhoto:
    from PIL import Image, ImageOps, UnidentifiedImageError

    if len(original) > MAX_INPUT_BYTES:
        raise NotAnImageError(f"the photo is larger than {MAX_INPUT_BYTES // (1024 * 1024)} MB")
    try:
        with Image.open(io.BytesIO(original)) as opened:
            opened.load()
            image = ImageOps.exif_transpose(opened)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError) as exc:
        raise NotAnImageError(f"not an image that can be read ({exc.__class__.__name__})") from None
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    keeps_alpha = image.mode in ("RGBA", "LA") or (
        image.mode == "P" and "transparency" in image.info
    )
    buffer = io.BytesIO()
    if keeps_alpha:
        image.save(buffer, format="PNG", optimize=True)
        media_type = "image/png"
    else:
        image.convert("RGB").save(buffer, format="JPEG", quality=JPEG_QUALITY, optimize=True)
        media_type = "image/jpeg"
    return PreparedPhoto(
        data=buffer.getvalue(),
        media_type=media_type,
        width=image.width,
        height=image.height,
        original_sha256=hashlib.sha256(original).hexdigest(),
        original_bytes=len(original),
    )


PRINT_MAX_SIDE = 900


def print_copy(data: bytes, max_side: int = PRINT_MAX_SIDE) -> tuple[bytes, int, int]:
    """A smaller JPEG for printing (about 300 dpi at the 7 cm the report uses)."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        image.load()
        if max(image.size) <= max_side and image.format == "JPEG":
            return data, image.width, image.height
        copy = image.convert("RGB")
        copy.thumbnail((max_side, max_side))
        buffer = io.BytesIO()
        copy.save(buffer, format="JPEG", quality=80, optimize=True)
        return buffer.getvalue(), copy.width, copy.height
