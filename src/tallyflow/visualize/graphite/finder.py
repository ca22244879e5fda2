"""Metric paths matching a Graphite pattern in a whisper tree, and their data.

Input: the whisper root (`tallyflow.store.series.series_root(store)`) and a pattern such as
`MediaWiki.CodeMirror.toggles.byEditor.*` or `a.{x,y}.c[0-9]`. Output: `Node`s, as
graphite-web's standard finder yields them: per path node, `*`, `?`, `[...]` (fnmatch,
case-sensitive) and `{a,b}` alternatives; a directory is a branch, a `.wsp` file a leaf.
Hidden entries are skipped, and a pattern node that is empty, starts with a dot or holds a
slash matches nothing, so a query never leaves the root. `fetch` reads the leaves of a pattern
over a time range into `Series`, ordered by name.
"""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import whisper

from tallyflow.errors import StoreError
from tallyflow.visualize.graphite.series import Series

BRACES = re.compile(r"\{([^{}]*)\}")
WILDCARD = re.compile(r"[*?\[]")
LEAF_SUFFIX = ".wsp"


@dataclass(frozen=True, order=True)
class Node:
    """A metric path that matched: a branch (directory) or a leaf (whisper file)."""

    path: str
    is_leaf: bool

    @property
    def name(self) -> str:
        return self.path.rsplit(".", 1)[-1]


def expand_braces(pattern: str) -> list[str]:
    """`a{b,c}d{e,f}` -> the four alternatives (graphite-web's expand_braces), unique, in order."""
    match = BRACES.search(pattern)
    if match is None:
        return [pattern]
    head, tail = pattern[: match.start()], pattern[match.end() :]
    found: list[str] = []
    for choice in match.group(1).split(","):
        found += expand_braces(head + choice + tail)
    return list(dict.fromkeys(found))


def _safe(part: str) -> bool:
    return bool(part) and not part.startswith(".") and "/" not in part and "\0" not in part


def _entries(directory: Path) -> tuple[list[str], list[str]]:
    """(subdirectories, whisper file stems) of a directory, hidden ones left out."""
    dirs: list[str] = []
    leaves: list[str] = []
    try:
        with os.scandir(directory) as scan:
            for entry in scan:
                if entry.name.startswith("."):
                    continue
                if entry.is_dir():
                    dirs.append(entry.name)
                elif entry.is_file() and entry.name.endswith(LEAF_SUFFIX):
                    leaves.append(entry.name[: -len(LEAF_SUFFIX)])
    except OSError:
        pass
    return dirs, leaves


def _match(directory: Path, parts: list[str], prefix: str) -> Iterator[Node]:
    head, rest = parts[0], parts[1:]
    dirs: list[str] = []
    leaves: list[str] = []
    for pattern in expand_braces(head):
        if not _safe(pattern):
            continue
        if WILDCARD.search(pattern):
            all_dirs, all_leaves = _entries(directory)
            dirs += fnmatch.filter(all_dirs, pattern)
            leaves += fnmatch.filter(all_leaves, pattern)
        else:
            if (directory / pattern).is_dir():
                dirs.append(pattern)
            if (directory / (pattern + LEAF_SUFFIX)).is_file():
                leaves.append(pattern)
    for name in dict.fromkeys(dirs):
        if rest:
            yield from _match(directory / name, rest, f"{prefix}{name}.")
        else:
            yield Node(prefix + name, False)
    if not rest:
        for name in dict.fromkeys(leaves):
            yield Node(prefix + name, True)


def find(root: Path, query: str) -> list[Node]:
    """Nodes matching `query` under `root`, sorted by path (a branch before a leaf of the same
    path, as graphite-web lists them)."""
    if not query or not root.is_dir():
        return []
    parts = query.replace("\\", "").split(".")
    return sorted(set(_match(root, parts, "")), key=lambda n: (n.path, n.is_leaf))


def leaf_file(root: Path, node: Node) -> Path:
    parts = node.path.split(".")
    return root.joinpath(*parts[:-1], parts[-1] + LEAF_SUFFIX)


def fetch(
    root: Path, pattern: str, start: int, end: int, now: int, xfiles_factor: float = 0.0
) -> list[Series]:
    """Every leaf of `pattern` read over `start`..`end` (whisper picks the archive, clamps to
    `now` and to its retention), sorted by name; leaves with no data in range are left out."""
    found = []
    for node in find(root, pattern):
        if not node.is_leaf:
            continue
        path = leaf_file(root, node)
        try:
            result = whisper.fetch(str(path), start, end, now=now)
        except (OSError, whisper.WhisperException) as error:
            raise StoreError(f"{path}: cannot read series {node.path!r}: {error}") from error
        if result is None:
            continue
        (first, last, step), values = result
        found.append(
            Series(node.path, first, last, step, tuple(values), pattern, "average", xfiles_factor)
        )
    return sorted(found, key=lambda s: s.name)


def expand(root: Path, queries: list[str], *, leaves_only: bool = False) -> dict[str, list[str]]:
    """Per query, the sorted paths it matches (graphite-web's /metrics/expand)."""
    return {
        query: sorted({n.path for n in find(root, query) if n.is_leaf or not leaves_only})
        for query in queries
    }
