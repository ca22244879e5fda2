"""Schemas looked up by the `$schema` URI an event names, as EventGate's url-get does it, but
only inside the project's schema repositories: nothing is ever fetched from a URL.

Resolution of `/analytics/legacy/codemirrorusage/1.1.0` against base paths `[schemas]`:
the last dot-segment of the basename (`0`) is numeric, so the configured `file_extension` (if
any) is appended; each base path is tried in order; the first file that exists wins. Content is
YAML (which covers JSON). Loaded schemas are cached for the life of the process; failures are not.
"""

from __future__ import annotations

import copy
import re
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import orjson
import yaml

from tallyflow.errors import SchemaError

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_MAX_REF_DEPTH = 64


def needs_extension(uri: str) -> bool:
    """True when the basename's last dot-segment is missing or numeric (url-get's rule)."""
    base = uri.rstrip("/").rsplit("/", 1)[-1]
    if "." not in base:
        return True
    return base.rsplit(".", 1)[-1].isdigit()


def _parse(text: str, where: Path) -> Any:
    if text.lstrip().startswith("{"):
        try:
            return orjson.loads(text)
        except orjson.JSONDecodeError:
            pass
    try:
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as error:
        raise SchemaError(f"{where}: not valid YAML or JSON: {error}") from None


class SchemaRepository:
    """Finds, parses and caches schemas in local repository folders."""

    def __init__(self, base_paths: Sequence[Path], file_extension: str | None = None) -> None:
        self.base_paths = [Path(p) for p in base_paths]
        self.file_extension = file_extension
        self._raw: dict[str, dict[str, Any]] = {}
        self._resolved: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()

    def candidates(self, uri: str) -> list[Path]:
        """The files `uri` may name, in the order they are tried."""
        if not isinstance(uri, str) or not uri.strip():
            raise SchemaError(f"Failed loading schema at {uri!r}: not a schema URI")
        if _SCHEME.match(uri):
            raise SchemaError(
                f"Failed loading schema at {uri}: absolute URIs are not fetched",
                hint="name schemas by their path in the repository, e.g. /analytics/x/1.0.0",
            )
        path = uri.split("#", 1)[0]
        if any(part == ".." for part in path.split("/")):
            raise SchemaError(f"Failed loading schema at {uri}: '..' is not allowed in $schema")
        if self.file_extension and needs_extension(path):
            path += self.file_extension
        relative = path.lstrip("/")
        return [base / relative for base in self.base_paths]

    def path_of(self, uri: str) -> Path:
        """The file that `uri` resolves to."""
        tried = self.candidates(uri)
        for candidate in tried:
            if candidate.is_file():
                return candidate
        raise SchemaError(
            f"Failed loading schema at {uri}: no such file "
            f"(tried {', '.join(str(p) for p in tried)})",
            hint="check the event's $schema, schemas.base_paths and schemas.file_extension",
        )

    def load(self, uri: str) -> dict[str, Any]:
        """The schema document `uri` names, as parsed (not dereferenced). Do not modify it."""
        key = uri.split("#", 1)[0]
        cached = self._raw.get(key)
        if cached is not None:
            return cached
        path = self.path_of(key)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise SchemaError(f"Failed loading schema at {uri}: {path}: {error}") from None
        document = _parse(text, path)
        if not isinstance(document, dict):
            raise SchemaError(f"Failed loading schema at {uri}: {path} is not a JSON object")
        with self._lock:
            self._raw.setdefault(key, document)
        return self._raw[key]

    def resolved(self, uri: str) -> dict[str, Any]:
        """The schema with every `$ref` replaced by its target (allOf left as written)."""
        key = uri.split("#", 1)[0]
        cached = self._resolved.get(key)
        if cached is not None:
            return cached
        document = self.load(key)
        result = self._inline(copy.deepcopy(document), document, key, 0)
        with self._lock:
            self._resolved.setdefault(key, result)
        return self._resolved[key]

    def _inline(self, node: Any, root: dict[str, Any], uri: str, depth: int) -> Any:
        if depth > _MAX_REF_DEPTH:
            raise SchemaError(f"Failed loading schema at {uri}: $ref nesting is too deep (cycle?)")
        if isinstance(node, list):
            return [self._inline(item, root, uri, depth) for item in node]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if isinstance(ref, str):
            target_uri, _, pointer = ref.partition("#")
            if target_uri:
                target_root = self.load(target_uri)
                where = target_uri
            else:
                target_root, where = root, uri
            target = _pointer(target_root, pointer, ref, uri)
            siblings = {k: v for k, v in node.items() if k != "$ref"}
            inlined = self._inline(copy.deepcopy(target), target_root, where, depth + 1)
            if siblings and isinstance(inlined, dict):
                inlined = {**inlined, **self._inline(siblings, root, uri, depth)}
            return inlined
        return {key: self._inline(value, root, uri, depth) for key, value in node.items()}


def _pointer(document: Any, pointer: str, ref: str, uri: str) -> Any:
    node = document
    for token in [t for t in pointer.split("/") if t]:
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            raise SchemaError(f"Failed loading schema at {uri}: $ref {ref} points at nothing")
    return node
