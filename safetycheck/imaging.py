"""Photo intake: check it is an image, turn it upright, drop its metadata, downscale it.

Location and camera data (EXIF) are removed: a photo of a hallway should not carry the home's
GPS position into a PDF or an exported file.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL.Image import Image

MAX_SIDE = 1600
MAX_INPUT_BYTES = 50 * 1024 * 1024
JPEG_QUALITY = 85
# A camera's photo may be large: a JPEG is decoded at a reduced scale (a few MB); a PNG or TIFF
# of this size is decoded in full (up to about 500 MB). A stored copy is never more than
# MAX_SIDE on its long side.
MAX_INTAKE_PIXELS = 120_000_000
MAX_STORED_PIXELS = MAX_SIDE * MAX_SIDE


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


def decode_image(data: bytes, max_pixels: int, reduce_to: int | None = None) -> Image:
    """The picture, decoded in full: a truncated or damaged file, a header without pixels or
    more than `max_pixels` pixels (a decompression bomb) is refused with NotAnImageError.

    With `reduce_to`, a JPEG is decoded at the smallest scale still at least that large (its
    size then is the reduced one), which bounds the memory a huge camera photo needs.
    """
    from PIL import Image, UnidentifiedImageError

    # Pillow's own limit (89 million pixels by default) is checked at full size while the file
    # is opened, before a JPEG can be reduced: it is set to ours, and ours is what counts.
    Image.MAX_IMAGE_PIXELS = max(max_pixels, MAX_INTAKE_PIXELS)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if reduce_to is not None and image.format == "JPEG":
                image.draft("RGB", (reduce_to, reduce_to))
            width, height = image.size
            if width * height > max_pixels:
                raise NotAnImageError(
                    f"the picture is too large ({width} x {height} pixels; at most "
                    f"{max_pixels // 1_000_000} million)"
                )
            image.load()
    except NotAnImageError:
        raise
    except Image.DecompressionBombError:
        raise NotAnImageError(
            f"the picture is too large (more than {max_pixels // 1_000_000} million pixels)"
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        kind = exc.__class__.__name__
        raise NotAnImageError(f"not a picture that can be read ({kind})") from None
    return image


def prepare_photo(original: bytes) -> PreparedPhoto:
    from PIL import ImageOps

    if len(original) > MAX_INPUT_BYTES:
        raise NotAnImageError(f"the photo is larger than {MAX_INPUT_BYTES // (1024 * 1024)} MB")
    decoded = decode_image(original, MAX_INTAKE_PIXELS, reduce_to=MAX_SIDE)
    image = ImageOps.exif_transpose(decoded)
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
    """A smaller JPEG for printing (about 300 dpi at the 7 cm the report uses).

    Raises NotAnImageError for a stored photo that cannot be decoded (one stored before photos
    were checked in full): the report then leaves it out and says so.
    """
    image = decode_image(data, MAX_STORED_PIXELS * 4)
    if max(image.size) <= max_side and image.format == "JPEG":
        return data, image.width, image.height
    copy = image.convert("RGB")
    copy.thumbnail((max_side, max_side))
    buffer = io.BytesIO()
    copy.save(buffer, format="JPEG", quality=80, optimize=True)
    return buffer.getvalue(), copy.width, copy.height
