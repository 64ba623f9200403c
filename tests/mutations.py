"""A seeded mutation generator for interchange files: from one valid export, the ways a careless
program, a damaged disk or an attacker can change it (tests/integration/test_fuzz_import.py).

`mutate(base, seed)` always makes the same file for the same seed, and says what it did.
"""

from __future__ import annotations

import copy
import io
import json
import random
from typing import Any

from support import photo_entry

Document = dict[str, Any]
Path_ = list[str | int]

HUGE_NUMBERS: list[Any] = [10**400, -(10**30), 1e308, -1e308, 2**63, -1, 0, 1e-320]
NON_FINITE = ["NaN", "Infinity", "-Infinity"]  # written raw into the JSON text
ODD_TEXT = [
    "",
    " ",
    "\x00",
    "\x1b[2J\x07",
    "\u202eevil",
    "\ud800",
    "x" * 100_001,
    "<b>bold</b>",
    "'; DROP TABLE people; --",
    "%_\\",
    "😀" * 50,
]
EXTREME_DATES = [
    "0001-01-01",
    "9999-12-31",
    "2026-02-30",
    "2026-13-01",
    "26-11-2026",
    "9999-12-31T23:59:59-23:59",
    "0001-01-01T00:00:00+23:59",
    "2026-11-26T10:15:00",
    "2026-11-26T25:00:00+00:00",
]


def paths(value: Any, prefix: Path_ | None = None) -> list[Path_]:
    """Every place in a parsed JSON document."""
    prefix = prefix or []
    found = [prefix]
    if isinstance(value, dict):
        for key, inner in value.items():
            found += paths(inner, [*prefix, key])
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found += paths(inner, [*prefix, index])
    return found


def _parent(document: Any, path: Path_) -> tuple[Any, str | int]:
    target = document
    for step in path[:-1]:
        target = target[step]
    return target, path[-1]


def picture(kind: str, size: tuple[int, int], mode: str = "RGB") -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new(mode, size).save(buffer, format=kind)
    return buffer.getvalue()


def _photo(data: bytes, media_type: str, size: tuple[int, int], item: str) -> dict[str, Any]:
    return photo_entry(data, media_type, size, item, photo_id="fuzz-photo", filename="fuzz")


def _bad_photo(rng: random.Random) -> dict[str, Any]:
    jpeg = picture("JPEG", (64, 48))
    choice = rng.randrange(5)
    if choice == 0:
        return _photo(jpeg[: len(jpeg) // 2], "image/jpeg", (64, 48), "steadi.si.01")
    if choice == 1:
        flipped = bytearray(jpeg)
        flipped[jpeg.index(b"\xff\xc4") + rng.randrange(4, 30)] ^= 0xFF
        return _photo(bytes(flipped), "image/jpeg", (64, 48), "steadi.si.01")
    if choice == 2:
        return _photo(picture("PNG", (8, 8))[:33], "image/png", (8, 8), "steadi.si.01")
    if choice == 3:
        bomb = picture("PNG", (6000, 6000), mode="1")
        return _photo(bomb, "image/png", (6000, 6000), "steadi.si.01")
    return _photo(jpeg, "image/png", (64, 48), "steadi.si.01")  # says PNG, is JPEG


def _delete(document: Document, rng: random.Random) -> str:
    path = _place(document, rng)
    parent, key = _parent(document, path)
    del parent[key]
    return f"deleted {_name(path)}"


def _swap_type(document: Document, rng: random.Random) -> str:
    path = _place(document, rng)
    parent, key = _parent(document, path)
    parent[key] = rng.choice([None, True, False, 0, 1.5, "", "text", [], {}])
    return f"type of {_name(path)}"


def _huge_number(document: Document, rng: random.Random) -> str:
    path = _place(document, rng)
    parent, key = _parent(document, path)
    parent[key] = rng.choice(HUGE_NUMBERS)
    return f"huge number at {_name(path)}"


def _odd_text(document: Document, rng: random.Random) -> str:
    path = _place(document, rng)
    parent, key = _parent(document, path)
    parent[key] = rng.choice(ODD_TEXT)
    return f"odd text at {_name(path)}"


def _unknown_key(document: Document, rng: random.Random) -> str:
    objects = [p for p in paths(document) if isinstance(_at(document, p), dict)]
    target = _at(document, rng.choice(objects))
    target[rng.choice(["unknown", "extra_key", "__proto__"])] = 1
    return "unknown key"


def _extreme_date(document: Document, rng: random.Random) -> str:
    path = _place(document, rng)
    parent, key = _parent(document, path)
    parent[key] = rng.choice(EXTREME_DATES)
    return f"extreme date at {_name(path)}"


def _duplicate_answer(document: Document, rng: random.Random) -> str:
    document["answers"].append(copy.deepcopy(rng.choice(document["answers"])))
    return "duplicate answer"


def _unknown_room(document: Document, rng: random.Random) -> str:
    rng.choice(document["answers"])["room"] = rng.choice(["nowhere", "", 7])
    return "answer in an unknown room"


def _format_version(document: Document, rng: random.Random) -> str:
    document["format_version"] = rng.choice([2, 99, 0, -1, "1", 1.0])
    return "format version"


def _bad_photo_entry(document: Document, rng: random.Random) -> str:
    document.setdefault("photos", []).append(_bad_photo(rng))
    return "bad photo"


def _duplicate_action(document: Document, rng: random.Random) -> str:
    actions = document.setdefault("actions", [])
    if not actions:
        return _swap_type(document, rng)
    actions.append(copy.deepcopy(rng.choice(actions)))
    return "duplicate action"


# Changes a valid file may have: the file must still be accepted and come back unchanged.
VALID_TEXT = [
    "<img src=/etc/passwd><h1>ADMIN</h1>",
    "Hall \u202eyaw",
    "Ω ünïcode — 日本語 — العربية — 😀",
    "tab\tand\nnew line",
    "n" * 20_000,
    "%_\\' OR 1=1 --",
]


def _valid_note(document: Document, rng: random.Random) -> str:
    answer = rng.choice(document["answers"])
    answer["note"] = rng.choice(VALID_TEXT)
    return "a valid odd note"


def _valid_name(document: Document, rng: random.Random) -> str:
    text = rng.choice(VALID_TEXT)[:200]
    if rng.random() < 0.5:
        document["person"]["name"] = text.strip() or "x"
        return "a valid odd name"
    rng.choice(document["rooms"])["name"] = text
    return "a valid odd room name"


def _flip_answer(document: Document, rng: random.Random) -> str:
    answers = [a for a in document["answers"] if a["value"] in ("yes", "no")]
    answer = rng.choice(answers)
    answer["value"] = "no" if answer["value"] == "yes" else "yes"
    return f"answer {answer['item']} flipped"


def _shuffle(document: Document, rng: random.Random) -> str:
    rng.shuffle(document["answers"])
    return "answers in another order"


VALID_MUTATIONS = (_valid_note, _valid_name, _flip_answer, _shuffle)

TREE_MUTATIONS = (
    _delete,
    _swap_type,
    _huge_number,
    _odd_text,
    _unknown_key,
    _extreme_date,
    _duplicate_answer,
    _unknown_room,
    _format_version,
    _bad_photo_entry,
    _duplicate_action,
)


def _tree_mutation(document: Document, rng: random.Random) -> str:
    """One change of the parsed document (an earlier change may have made a later one
    impossible: then a value's type is changed instead)."""
    try:
        return rng.choice(TREE_MUTATIONS)(document, rng)
    except (TypeError, AttributeError, KeyError, IndexError):
        return _swap_type(document, rng)


def _place(document: Document, rng: random.Random) -> Path_:
    return rng.choice([p for p in paths(document) if p])


def _at(document: Any, path: Path_) -> Any:
    for step in path:
        document = document[step]
    return document


def _name(path: Path_) -> str:
    return ".".join(map(str, path))


def _bom(text: str, _rng: random.Random) -> tuple[bytes, str]:
    return b"\xef\xbb\xbf" + text.encode("utf-8", "surrogatepass"), "UTF-8 byte order mark"


def _utf16(text: str, _rng: random.Random) -> tuple[bytes, str]:
    return text.encode("utf-16", "surrogatepass"), "UTF-16"


def _invalid_utf8(text: str, rng: random.Random) -> tuple[bytes, str]:
    raw = bytearray(text.encode("utf-8", "surrogatepass"))
    raw[rng.randrange(len(raw))] = rng.choice([0xFF, 0xC0, 0x80, 0xFE])
    return bytes(raw), "invalid UTF-8"


def _truncate(text: str, rng: random.Random) -> tuple[bytes, str]:
    raw = text.encode("utf-8", "surrogatepass")
    return raw[: rng.randrange(len(raw))], "truncated"


def _flip_bits(text: str, rng: random.Random) -> tuple[bytes, str]:
    raw = bytearray(text.encode("utf-8", "surrogatepass"))
    for _ in range(rng.randrange(1, 6)):
        raw[rng.randrange(len(raw))] ^= 1 << rng.randrange(8)
    return bytes(raw), "bit flips"


def _duplicate_key(text: str, _rng: random.Random) -> tuple[bytes, str]:
    # A key given twice: JSON allows it, and the last one wins.
    return text.replace('"status"', '"status": "completed", "status"', 1).encode(
        "utf-8", "surrogatepass"
    ), "dup key"


def _non_finite(text: str, rng: random.Random) -> tuple[bytes, str]:
    number = rng.choice(NON_FINITE)
    changed = text.replace('"format_version": 1', f'"format_version": {number}', 1)
    return changed.encode("utf-8", "surrogatepass"), f"raw {number}"


def _deep_nesting(text: str, rng: random.Random) -> tuple[bytes, str]:
    depth = rng.choice([50, 500, 5000, 100_000])
    nested = "[" * depth + "]" * depth
    return (text.rstrip()[:-1] + f', "deep": {nested}}}').encode(
        "utf-8", "surrogatepass"
    ), f"nesting {depth} deep"


def _trailing_nul(text: str, _rng: random.Random) -> tuple[bytes, str]:
    return (text + "\x00").encode("utf-8", "surrogatepass"), "trailing NUL"


TEXT_MUTATIONS = (
    _bom,
    _utf16,
    _invalid_utf8,
    _truncate,
    _flip_bits,
    _duplicate_key,
    _non_finite,
    _deep_nesting,
    _trailing_nul,
)


def mutate(base: Document, seed: int) -> tuple[bytes, str]:
    """One mutated file (as bytes) and what was done to it; seed 0 is the file unchanged."""
    if seed == 0:
        return json.dumps(base, ensure_ascii=False).encode(), "unchanged"
    rng = random.Random(seed)
    document = copy.deepcopy(base)
    if rng.random() < 0.3:  # a file that is still valid, changed the ways a valid one can be
        done = [rng.choice(VALID_MUTATIONS)(document, rng) for _ in range(rng.choice([1, 2, 3]))]
        return json.dumps(document, ensure_ascii=rng.random() < 0.5).encode(), "; ".join(done)
    done = [_tree_mutation(document, rng) for _ in range(rng.choice([1, 1, 1, 2, 3]))]
    try:
        text = json.dumps(document, ensure_ascii=rng.random() < 0.5)
    except (ValueError, RecursionError):
        text = json.dumps(base)
        done.append("(not encodable: unchanged)")
    if rng.random() < 0.3:
        data, what = rng.choice(TEXT_MUTATIONS)(text, rng)
        done.append(what)
        return data, "; ".join(done)
    return text.encode("utf-8", errors="surrogatepass"), "; ".join(done)
