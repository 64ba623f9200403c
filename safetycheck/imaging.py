"""Photo intake: check it is an image, turn it upright, drop its metadata, downscale it, and make
its print-size copy once (a report prints the copy; it does not make it again).

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
# The print copy: about 300 dpi at the 7 cm the report prints a photo at.
PRINT_MAX_SIDE = 900
PRINT_QUALITY = 80
# A print copy in a file is compared with its photo (copy_difference): both shrunk to
# LIKENESS_SIDE square in grey by a box resize, the mean absolute difference scaled to the
# photo's own contrast must be at most MAX_COPY_DIFFERENCE. Measured on 26 photos (smooth, noise,
# text, room-like shapes, dark, pale, portrait, with transparency, two report pages): a copy made
# by prepare_photo differs by 0.29 (median) and at most 2.4 (crisp text); a wrong one by 115
# (median) -- another photo 18.7 or more, a solid colour 22.9, mirrored 10.5, flipped 21.5,
# turned a quarter 25.4, the top half 32.2, the left half stretched back 5.95 (a photo shaded top
# to bottom) -- and a pure-noise photo, which shrinks to flat grey, 7.0 against anything grey.
LIKENESS_SIDE = 16
MIN_LIKENESS_RANGE = 16
MAX_COPY_DIFFERENCE = 4.0


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
    # The print copy (a JPEG, PRINT_MAX_SIDE on its long side at most): `data` itself when the
    # stored copy is a JPEG that small already.
    print_data: bytes = field(repr=False)
    print_width: int
    print_height: int


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
    stored = buffer.getvalue()
    if media_type == "image/jpeg" and max(image.size) <= PRINT_MAX_SIDE:
        printed = (stored, image.width, image.height)
    else:  # from the picture in memory: no second decode
        printed = _jpeg_copy(image, PRINT_MAX_SIDE)
    return PreparedPhoto(
        data=stored,
        media_type=media_type,
        width=image.width,
        height=image.height,
        original_sha256=hashlib.sha256(original).hexdigest(),
        original_bytes=len(original),
        print_data=printed[0],
        print_width=printed[1],
        print_height=printed[2],
    )


def _jpeg_copy(image: Image, max_side: int) -> tuple[bytes, int, int]:
    copy = image.convert("RGB")
    copy.thumbnail((max_side, max_side))
    buffer = io.BytesIO()
    copy.save(buffer, format="JPEG", quality=PRINT_QUALITY, optimize=True)
    return buffer.getvalue(), copy.width, copy.height


def print_copy(data: bytes, max_side: int = PRINT_MAX_SIDE) -> tuple[bytes, int, int]:
    """The print copy of a stored photo: a JPEG at most `max_side` on its long side (the
    photo itself when it is one already).

    Made once, when a photo is attached or imported (prepare_photo makes it from the picture
    it has decoded already); a report makes it only for a photo kept before print copies were.
    Raises NotAnImageError for a stored photo that cannot be decoded (one stored before photos
    were checked in full): the report then leaves it out and says so.
    """
    image = decode_image(data, MAX_STORED_PIXELS * 4)
    if max(image.size) <= max_side and image.format == "JPEG":
        return data, image.width, image.height
    return _jpeg_copy(image, max_side)


def print_size(width: int, height: int) -> tuple[int, int]:
    """The size of the print copy of a `width` x `height` photo, give or take a pixel of
    rounding on its short side: its long side is PRINT_MAX_SIDE (or the photo's, if shorter)."""
    scale = min(1.0, PRINT_MAX_SIDE / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def fits_print_size(width: int, height: int, copy_width: int, copy_height: int) -> bool:
    """Whether a copy of `copy_width` x `copy_height` is this photo's print copy by its size
    (the same shape; the short side may differ by a pixel of rounding)."""
    expected = print_size(width, height)
    long_side = 0 if width >= height else 1
    copy = (copy_width, copy_height)
    return (
        copy[long_side] == expected[long_side]
        and abs(copy[1 - long_side] - expected[1 - long_side]) <= 1
    )


def copy_difference(photo: Image, copy: Image) -> float:
    """How far `copy` is from being a copy of `photo`, in grey levels (0 to 255, more for a
    flat photo): both are shrunk to LIKENESS_SIDE square in grey, and the mean absolute
    difference is scaled as if the small photo spanned black to white (a dark or pale photo is
    not let off lightly; a flat one counts as spanning at least MIN_LIKENESS_RANGE levels).
    About 4 ms for a 1600 x 1200 photo and its 900 x 675 copy."""
    from PIL import Image as PILImage

    side = (LIKENESS_SIDE, LIKENESS_SIDE)
    small = []
    for image in (photo, copy):
        # As _jpeg_copy makes it: a picture with transparency is printed from its RGB values.
        # Grey first: a box resize of one channel costs a third of three (about 4 ms in all).
        picture = image if image.mode in ("RGB", "L") else image.convert("RGB")
        small.append(picture.convert("L").resize(side, PILImage.Resampling.BOX).tobytes())
    mean = sum(abs(a - b) for a, b in zip(small[0], small[1], strict=True)) / len(small[0])
    spread = max(MIN_LIKENESS_RANGE, max(small[0]) - min(small[0]))
    return mean * 255 / spread


def thumbnail(data: bytes, side: int) -> bytes:
    """A small JPEG (at most `side` on its long side) of a stored photo or print copy; a JPEG
    is decoded at a reduced scale, so a thumbnail costs a fraction of a full decode."""
    return _jpeg_copy(decode_image(data, MAX_STORED_PIXELS * 4, reduce_to=side), side)[0]
