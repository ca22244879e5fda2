"""String shapes: generators of strings of a `format` (or plain) within length bounds.

`string_shapes` lists the shapes that fit, most natural first; the compiler takes the first one,
or the first whose samples all match the field's `pattern`.
"""

from __future__ import annotations

from collections.abc import Callable

import pyarrow as pa
import pyarrow.compute as pc

from tallyflow.schemas.generate import columns
from tallyflow.schemas.generate.nodes import Batch

_FORMATS_BY_LENGTH = {"date-time": 24, "date": 10, "uuid": 36}
KNOWN_FORMATS = {
    "date-time", "date", "uri", "uri-reference", "iri", "iri-reference", "url", "uuid", "email",
    "hostname", "ipv4",
}  # fmt: skip
UNSUPPORTED_FORMATS = {
    "time", "duration", "ipv6", "idn-email", "idn-hostname", "json-pointer",
    "relative-json-pointer", "regex", "uri-template",
}  # fmt: skip
_WORDS = (
    "edit", "save", "preview", "toolbar", "dialog", "citation", "template", "link", "table",
    "gallery", "media", "transclusion", "reference", "section", "source", "visual", "history",
    "search", "watchlist", "settings",
)  # fmt: skip


def string_shapes(
    fmt: str | None, shortest: int, longest: int
) -> list[Callable[[Batch], pa.Array]]:
    """Generators for strings of a format (or plain), most natural first, that fit the lengths."""

    def fits(size_low: int, size_high: int) -> bool:
        return size_low >= shortest and size_high <= longest

    shapes: list[Callable[[Batch], pa.Array]] = []
    if fmt in ("date-time", "date"):
        width = _FORMATS_BY_LENGTH[fmt]
        if fits(width, width):

            def times(batch: Batch) -> pa.Array:
                ms = batch.rng.integers(batch.start_ms, max(batch.start_ms, batch.end_ms - 1),
                                        size=batch.size, endpoint=True)  # fmt: skip
                text = columns.iso_times(ms)
                return text if fmt == "date-time" else pc.utf8_slice_codeunits(text, 0, 10)

            shapes.append(times)
        return shapes
    if fmt == "uuid":
        return [lambda b: columns.uuid4s(b.rng, b.size)] if fits(36, 36) else []
    if fmt in ("uri", "uri-reference", "iri", "iri-reference", "url"):
        if fits(30, 40):
            return [lambda b: _prefixed(b, "https://en.wikipedia.org/wiki/", 6, 10)]
        return []
    if fmt == "email":
        return (
            [lambda b: _prefixed(b, "user.", 4, 8, suffix="@example.org")] if fits(21, 25) else []
        )
    if fmt == "hostname":
        hosts = ["en.wikipedia.org", "de.wikipedia.org", "commons.wikimedia.org"]
        if fits(16, 21):
            return [lambda b: columns.choice(b.rng, b.size, hosts, pa.string())]
        return []
    if fmt == "ipv4":
        return [_ipv4] if fits(7, 15) else []
    words = [w for w in _WORDS if shortest <= len(w) <= longest]
    if words:
        shapes.append(lambda b: columns.choice(b.rng, b.size, words, pa.string()))
    if fits(36, 36):
        shapes.append(lambda b: columns.uuid4s(b.rng, b.size))
    if fits(20, 20):
        shapes.append(lambda b: columns.hex_ids(b.rng, b.size))
    top = min(longest, shortest + 12)
    digits_low = max(shortest, 1)
    shapes.append(
        lambda b: columns.letters(b.rng, b.size, shortest, top, b"abcdefghijklmnopqrstuvwxyz")
    )
    if digits_low <= longest:
        shapes.append(
            lambda b: columns.letters(
                b.rng, b.size, digits_low, min(longest, digits_low + 8), b"0123456789"
            )
        )
        shapes.append(
            lambda b: columns.letters(
                b.rng, b.size, digits_low, min(longest, digits_low + 12), b"0123456789abcdef"
            )
        )
        shapes.append(
            lambda b: columns.letters(
                b.rng, b.size, digits_low, min(longest, digits_low + 12),
                b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
            )
        )  # fmt: skip
    return shapes


def _prefixed(batch: Batch, prefix: str, low: int, high: int, suffix: str = "") -> pa.Array:
    middle = columns.letters(batch.rng, batch.size, low, high, b"abcdefghijklmnopqrstuvwxyz")
    return pc.binary_join_element_wise(prefix, middle, suffix, "")


def _ipv4(batch: Batch) -> pa.Array:
    parts = [
        pa.array(batch.rng.integers(1, 255, size=batch.size)).cast(pa.string()) for _ in "abcd"
    ]
    return pc.binary_join_element_wise(*parts, ".")
