"""Validation stage of the intake: an event's `$schema` URI -> a validator compiled once and
cached for the life of the process (keyed by the URI, the schema file and the schema's `$id`,
as EventGate's AJV instance caches them).

Input: the project's SchemaRepository (local files only; `$ref`s resolved through it, draft-04,
-06 and -07 meta-schemas built in, nothing fetched). Output: `CompiledSchema.validate(event)`,
which writes the schema's `default`s into the event (AJV `useDefaults`) and raises EventInvalid
with AJV-style errors. Schemas that fail AJV's json-schema-secure rules are refused unless
`allow_insecure`. Load failures become EventRejected "Failed loading schema at <uri>: ...",
remembered for a few seconds so a flood of bad URIs does not hit the disk per event.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema_rs

from tallyflow.collect.ajv_errors import AjvReporter, errors_text, schema_path
from tallyflow.collect.ajv_formats import AJV_FORMATS
from tallyflow.errors import EventInvalid, EventRejected, SchemaError
from tallyflow.schemas.repository import SchemaRepository

FAILURE_TTL_SECONDS = 5.0
_MAX_CACHED_KEYS = 10_000
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf")
_SCHEMA_MAPS = ("properties", "patternProperties", "definitions")
_SCHEMA_VALUES = (
    "additionalItems",
    "additionalProperties",
    "if",
    "then",
    "else",
    "not",
    "contains",
    "propertyNames",
)

Applier = Callable[[Any], None]


def insecure_reasons(schema: Any, path: tuple[str | int, ...] = ()) -> list[str]:
    """Where `schema` breaks AJV's json-schema-secure rules (empty when it is secure)."""
    if not isinstance(schema, dict):
        return []
    here = schema_path(path)
    reasons = []
    for keyword in ("pattern", "format"):
        if keyword in schema and "maxLength" not in schema:
            reasons.append(f"{here}: '{keyword}' without 'maxLength'")
    if "patternProperties" in schema:
        names = schema.get("propertyNames")
        if not (isinstance(names, dict) and "maxLength" in names):
            reasons.append(f"{here}: 'patternProperties' without 'propertyNames' with 'maxLength'")
    items = schema.get("items")
    if schema.get("uniqueItems") is True and isinstance(items, dict) and "maxItems" not in schema:
        kind = items.get("type")
        kinds = kind if isinstance(kind, list) else [kind]
        if any(k in ("object", "array") for k in kinds):
            reasons.append(f"{here}: 'uniqueItems' over objects or arrays without 'maxItems'")
    for keyword in _SCHEMA_VALUES:
        reasons += insecure_reasons(schema.get(keyword), (*path, keyword))
    for keyword in _SCHEMA_LISTS:
        for index, sub in enumerate(schema.get(keyword) or []):
            reasons += insecure_reasons(sub, (*path, keyword, index))
    for keyword in (*_SCHEMA_MAPS, "dependencies"):
        mapping = schema.get(keyword)
        if isinstance(mapping, dict):
            for name, sub in mapping.items():
                reasons += insecure_reasons(sub, (*path, keyword, name))
    if isinstance(items, list):
        for index, sub in enumerate(items):
            reasons += insecure_reasons(sub, (*path, "items", index))
    else:
        reasons += insecure_reasons(items, (*path, "items"))
    return reasons


def _object_applier(
    fills: list[tuple[str, Any, bool]],
    nested: list[tuple[str, Applier]],
    each: Applier | None,
) -> Applier:
    def apply(data: Any) -> None:
        if type(data) is not dict:
            return
        for name, default, mutable in fills:
            if name not in data:
                data[name] = copy.deepcopy(default) if mutable else default
        for name, sub in nested:
            value = data.get(name)
            if value is not None:
                sub(value)
        if each is not None:
            for value in data.values():
                each(value)

    return apply


def _array_applier(each: Applier | None, positions: list[tuple[int, Applier]]) -> Applier:
    def apply(data: Any) -> None:
        if type(data) is not list:
            return
        if each is not None:
            for value in data:
                each(value)
        for index, sub in positions:
            if index < len(data):
                sub(data[index])

    return apply


def _all_of(appliers: list[Applier]) -> Applier:
    def apply(data: Any) -> None:
        for sub in appliers:
            sub(data)

    return apply


def defaults_applier(schema: Any) -> Applier | None:
    """A function writing `schema`'s `default`s into an event in place, as AJV's
    `useDefaults` does (in `properties` and `items`, not under anyOf/oneOf/not/if);
    None when the schema has no defaults at all."""
    if not isinstance(schema, dict):
        return None
    appliers: list[Applier] = []
    properties = schema.get("properties")
    if isinstance(properties, dict):
        fills = [
            (name, sub["default"], isinstance(sub["default"], (dict, list)))
            for name, sub in properties.items()
            if isinstance(sub, dict) and "default" in sub
        ]
        nested = [
            (name, applier)
            for name, sub in properties.items()
            if (applier := defaults_applier(sub)) is not None
        ]
        extra = defaults_applier(schema.get("additionalProperties"))
        if fills or nested or extra:
            appliers.append(_object_applier(fills, nested, extra))
    items = schema.get("items")
    if isinstance(items, list):
        positions = [(i, a) for i, sub in enumerate(items) if (a := defaults_applier(sub))]
        if positions:
            appliers.append(_array_applier(None, positions))
    elif (each := defaults_applier(items)) is not None:
        appliers.append(_array_applier(each, []))
    appliers += [a for sub in schema.get("allOf") or [] if (a := defaults_applier(sub))]
    if not appliers:
        return None
    return appliers[0] if len(appliers) == 1 else _all_of(appliers)


class CompiledSchema:
    """One schema, ready to validate events."""

    def __init__(self, uri: str, schema: dict[str, Any]) -> None:
        self.uri = uri
        self.schema = schema
        self.title: Any = schema.get("title")
        self._fast = jsonschema_rs.validator_for(
            schema,
            formats=AJV_FORMATS,
            validate_formats=True,
            offline=True,
        )
        self._defaults = defaults_applier(schema)
        self._reporter: AjvReporter | None = None
        self._accepts: dict[tuple[str, ...], bool] = {}

    def validate(self, event: Any) -> None:
        """Write defaults into `event`, then raise EventInvalid if it does not validate."""
        if self._defaults is not None:
            self._defaults(event)
        if self._fast.is_valid(event):
            return
        if self._reporter is None:
            self._reporter = AjvReporter(self.schema)
        errors = self._reporter.errors(event)
        if not errors:  # the two validators disagree; report what the fast one saw
            errors = [
                {
                    "keyword": "schema",
                    "dataPath": "",
                    "schemaPath": "#",
                    "params": {},
                    "message": str(next(iter(self._fast.iter_errors(event)))).split("\n")[0],
                }
            ]
        raise EventInvalid(errors, errors_text(errors))

    def accepts(self, *path: str) -> bool:
        """True when the schema declares a field at `path` (e.g. `meta`, `request_id`), or
        the last name falls into a map (`additionalProperties` with a schema)."""
        known = self._accepts.get(path)
        if known is None:
            known = self._accepts[path] = self._find(path)
        return known

    def _find(self, path: tuple[str, ...]) -> bool:
        node: Any = self.schema
        for depth, name in enumerate(path):
            parts = [node, *(node.get("allOf") or [])] if isinstance(node, dict) else []
            found = None
            for part in parts:
                properties = part.get("properties") if isinstance(part, dict) else None
                if isinstance(properties, dict) and name in properties:
                    found = properties[name]
                    break
            if found is None:
                is_last = depth == len(path) - 1
                return is_last and any(
                    isinstance(p, dict) and isinstance(p.get("additionalProperties"), dict)
                    for p in parts
                )
            node = found
        return True


class ValidatorCache:
    """Compiles each schema once; `get(uri)` raises EventRejected when it cannot."""

    def __init__(self, repository: SchemaRepository, *, allow_insecure: bool = False) -> None:
        self.repository = repository
        self.allow_insecure = allow_insecure
        self._by_key: dict[str, CompiledSchema] = {}
        self._failures: dict[str, tuple[float, str]] = {}

    def get(self, uri: Any) -> CompiledSchema:
        """The compiled schema for an event's `$schema` value."""
        if type(uri) is str:
            found = self._by_key.get(uri)
            if found is not None:
                return found
        key = uri if isinstance(uri, str) else repr(uri)
        failed = self._failures.get(key)
        if failed is not None and time.monotonic() - failed[0] < FAILURE_TTL_SECONDS:
            raise EventRejected(failed[1])
        try:
            compiled = self._compile(uri)
        except SchemaError as error:
            message = self._public(error.message, key)
            if len(self._failures) >= _MAX_CACHED_KEYS:
                self._failures.clear()
            self._failures[key] = (time.monotonic(), message)
            raise EventRejected(message) from None
        if len(self._by_key) < _MAX_CACHED_KEYS:
            self._by_key[uri] = compiled
        return compiled

    def _compile(self, uri: Any) -> CompiledSchema:
        if not isinstance(uri, str):
            raise SchemaError(f"Failed loading schema at {uri!r}: $schema must be a string")
        file_key = str(self.repository.path_of(uri))
        found = self._by_key.get(file_key)
        if found is not None:
            return found
        schema = self.repository.resolved(uri)
        if not self.allow_insecure:
            reasons = insecure_reasons(schema)
            if reasons:
                raise SchemaError(
                    f"Failed loading schema at {uri}: Schema at {uri} is not secure for "
                    f"compilation: {'; '.join(reasons)}"
                )
        try:
            compiled = CompiledSchema(uri, schema)
        except (jsonschema_rs.ValidationError, jsonschema_rs.ReferencingError, ValueError) as error:
            first = str(error).split("\n")[0]
            raise SchemaError(
                f"Failed loading schema at {uri}: not a valid schema: {first}"
            ) from None
        self._by_key[file_key] = compiled
        schema_id = schema.get("$id", schema.get("id"))
        if isinstance(schema_id, str):
            self._by_key.setdefault(schema_id, compiled)
        return compiled

    def _public(self, message: str, uri: str) -> str:
        """The error message without server paths (file names stay repository-relative)."""
        for base in self.repository.base_paths:
            message = message.replace(str(Path(base).resolve()), base.name)
            message = message.replace(str(base), base.name)
        prefix = f"Failed loading schema at {uri}"
        return message if message.startswith(prefix) else f"{prefix}: {message}"
