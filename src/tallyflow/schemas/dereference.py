"""Dereferencing: replace every `$ref` in a schema with what it points to.

Input: a schema (usually a `current.yaml`), the file it came from, and the base URIs
(`schemaBaseUris`). Output: a new schema with no `$ref` left.

Resolution follows jsonschema-tools' custom resolver for json-schema-ref-parser:
- `/fragment/x/1.0.0` (leading slash) is looked up under each base URI in order, `<base>/fragment/
  x/1.0.0`; the first that can be read wins. Bases are directories or http(s) URLs.
- `#/pointer` is a JSON pointer into the document that holds the `$ref` (so an example's
  `$schema: {$ref: '#/$id'}` becomes the schema's `$id` string).
- `/fragment/x/1.0.0#/properties` splices a part of another document; `…#` is the whole document.
- a relative `x/y` is resolved against the directory of the document that holds it, and absolute
  `file://` / `http(s)://` refs are read as they are.
- sibling keys next to a `$ref` are kept and override the resolved object's keys.
A `$ref` that cannot be read is a `SchemaError` naming the `$ref`, the file and the JSON path.
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tallyflow.errors import SchemaError
from tallyflow.schemas.documents import parse_document

FETCH_TIMEOUT = 10.0


class RefResolver:
    """Reads and caches referenced documents; one per run so each fragment is read once."""

    def __init__(self, base_uris: Sequence[str]) -> None:
        self.base_uris = tuple(base_uris)
        self._documents: dict[str, Any] = {}

    def dereference(self, schema: Any, source: Path) -> Any:
        """`schema` (read from `source`) with every `$ref` replaced."""
        return _Walk(self, str(source.resolve()), schema).resolve(schema, (), ())

    def locate(self, ref_path: str, holder: str) -> tuple[str, list[str]]:
        """The document URI a `$ref` path (without fragment) names, and the candidates tried."""
        if ref_path.startswith("/"):
            tried = [_join(base, ref_path) for base in self.base_uris]
        elif "://" in ref_path:
            tried = [ref_path]
        else:
            tried = [_join(_parent(holder), ref_path)]
        for candidate in tried:
            if self._readable(candidate):
                return candidate, tried
        return "", tried

    def document(self, uri: str) -> Any:
        return self._documents[uri]

    def _readable(self, uri: str) -> bool:
        if uri in self._documents:
            return True
        text = _read(uri)
        if text is None:
            return False
        content_type = "json" if uri.endswith(".json") else "yaml"
        self._documents[uri] = parse_document(text, uri, content_type)
        return True


class _Walk:
    """One dereferencing pass over the document `uri`."""

    def __init__(self, resolver: RefResolver, uri: str, document: Any) -> None:
        self.resolver = resolver
        self.uri = uri
        self.document = document

    def resolve(self, node: Any, path: tuple[str, ...], stack: tuple[str, ...]) -> Any:
        if isinstance(node, list):
            return [self.resolve(item, (*path, str(i)), stack) for i, item in enumerate(node)]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if isinstance(ref, str):
            target = self._target(ref, path, stack)
            siblings = {k: v for k, v in node.items() if k != "$ref"}
            if siblings and isinstance(target, dict):
                target = {**target, **self.resolve(siblings, path, stack)}
            return target
        return {key: self.resolve(value, (*path, key), stack) for key, value in node.items()}

    def _target(self, ref: str, path: tuple[str, ...], stack: tuple[str, ...]) -> Any:
        ref_path, _, pointer = ref.partition("#")
        where = "/" + "/".join(path)
        if ref_path:
            uri, tried = self.resolver.locate(ref_path, self.uri)
            if not uri:
                raise SchemaError(
                    f"{self.uri}: cannot resolve $ref {ref!r} at {where}: "
                    f"tried {', '.join(tried) or 'no base URI'}",
                    hint="add the schema repository that holds it to schemaBaseUris in "
                    ".jsonschema-tools.yaml (or pass --base-uri), or check the $ref spelling",
                )
            walk = _Walk(self.resolver, uri, self.resolver.document(uri))
        else:
            walk = self
        key = f"{walk.uri}#{pointer}"
        if key in stack:
            raise SchemaError(f"{self.uri}: circular $ref {ref!r} at {where}")
        target = _pointer(walk.document, pointer, ref, self.uri, where)
        return walk.resolve(target, (), (*stack, key))


def _pointer(document: Any, pointer: str, ref: str, uri: str, where: str) -> Any:
    value = document
    for raw in pointer.split("/")[1:] if pointer else []:
        part = urllib.parse.unquote(raw).replace("~1", "/").replace("~0", "~")
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            raise SchemaError(
                f"{uri}: $ref {ref!r} at {where}: the document has nothing at #{pointer}"
            )
    return value


def _join(base: str, ref_path: str) -> str:
    if "://" in base:
        return base.rstrip("/") + "/" + ref_path.lstrip("/")
    return str(Path(base) / ref_path.lstrip("/"))


def _parent(uri: str) -> str:
    if "://" in uri:
        return uri.rsplit("/", 1)[0]
    return str(Path(uri).parent)


def _read(uri: str) -> str | None:
    if uri.startswith("file://"):
        uri = urllib.parse.unquote(urllib.parse.urlparse(uri).path)
    if "://" not in uri:
        try:
            return Path(uri).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None
    try:
        with urllib.request.urlopen(uri, timeout=FETCH_TIMEOUT) as response:  # noqa: S310
            body: bytes = response.read()
            return body.decode("utf-8")
    except (urllib.error.URLError, OSError, UnicodeDecodeError, ValueError):
        return None
