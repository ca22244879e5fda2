"""Semantic versions of schema files, as jsonschema-tools reads them.

Input: a file stem (`1.2.0`) or a `$id` (`/analytics/legacy/codemirrorusage/1.2.0`).
Output: a comparable `Version`. A `$id`'s version is its last path segment, coerced the way
node-semver's `coerce` does (the first `X[.Y[.Z]]` run of digits).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_STRICT = re.compile(
    r"^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$"
)
_COERCE = re.compile(r"(\d+)(?:\.(\d+))?(?:\.(\d+))?")


@dataclass(frozen=True, order=True)
class Version:
    """major.minor.patch with an optional pre-release (which sorts before the release)."""

    major: int
    minor: int
    patch: int
    release: tuple[int, tuple[str | int, ...]] = (1, ())

    def __str__(self) -> str:
        text = f"{self.major}.{self.minor}.{self.patch}"
        if self.release[0] == 0:
            text += "-" + ".".join(str(part) for part in self.release[1])
        return text


def parse_strict(text: str) -> Version | None:
    """`1.2.0` -> Version; anything that is not strict semver -> None."""
    match = _STRICT.match(text)
    if not match:
        return None
    major, minor, patch, pre = match.groups()
    release: tuple[int, tuple[str | int, ...]] = (1, ())
    if pre:
        release = (0, tuple(int(p) if p.isdigit() else p for p in pre.split(".")))
    return Version(int(major), int(minor), int(patch), release)


def version_of_id(schema_id: str) -> Version | None:
    """The version in a `$id`: its last path segment, coerced; None if it has no digits."""
    last = schema_id.rstrip("/").rsplit("/", 1)[-1]
    match = _COERCE.search(last)
    if not match:
        return None
    major, minor, patch = match.groups()
    return Version(int(major), int(minor or 0), int(patch or 0))
