"""Error reporting for invalid events, in AJV v6's shape (what EventGate answers with).

Input: a dereferenced schema and an event that failed the fast check. Output: the list of AJV
error objects (`keyword`, `dataPath` like `.a.b` / `['x-y']` / `[0]`, `schemaPath` like
`#/properties/a/type`, `params`, `message` like "should be string") and the `errorsText`
EventGate builds from them (`'<dataPath>' <message>`, joined with ", "). Every error is listed,
as AJV's `allErrors: true` does. This runs only for invalid events, so it may be slow.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import quote

import jsonschema
from jsonschema.exceptions import ValidationError

from tallyflow.collect.ajv_formats import AJV_FORMATS

_IDENTIFIER = re.compile(r"[a-z$_][a-z$_0-9]*", re.IGNORECASE)
_FORMAT_CHECKER = jsonschema.FormatChecker(formats=())


def _on_strings(check: Callable[[str], bool]) -> Callable[[object], bool]:
    def checker(value: object) -> bool:
        return not isinstance(value, str) or check(value)

    return checker


for _name, _check in AJV_FORMATS.items():
    _FORMAT_CHECKER.checks(_name)(_on_strings(_check))


def _escape_quotes(text: str) -> str:
    text = text.replace("\\", "\\\\").replace("'", "\\'")
    return text.replace("\n", "\\n").replace("\r", "\\r").replace("\f", "\\f").replace("\t", "\\t")


def data_path(parts: Iterable[str | int]) -> str:
    """JavaScript property-access path, as AJV v6 writes `dataPath`."""
    out = []
    for part in parts:
        if isinstance(part, int):
            out.append(f"[{part}]")
        elif _IDENTIFIER.fullmatch(part):
            out.append(f".{part}")
        else:
            out.append(f"['{_escape_quotes(part)}']")
    return "".join(out)


def schema_path(parts: Iterable[str | int]) -> str:
    """URI-fragment JSON pointer into the schema, as AJV v6 writes `schemaPath`."""
    escaped = (quote(str(p).replace("~", "~0").replace("/", "~1"), safe="-_.!~*'()") for p in parts)
    return "#/" + "/".join(escaped) if parts else "#"


def _js(number: Any) -> Any:
    """A number as JavaScript would print it (1.0 -> 1)."""
    if isinstance(number, float) and number.is_integer():
        return int(number)
    return number


def _error(
    keyword: str, path: str, spath: str, params: dict[str, Any], message: str
) -> dict[str, Any]:
    return {
        "keyword": keyword,
        "dataPath": path,
        "schemaPath": spath,
        "params": params,
        "message": message,
    }


def _limit(error: ValidationError, keyword: str, limit: Any) -> tuple[dict[str, Any], str]:
    parent = error.schema if isinstance(error.schema, dict) else {}
    if keyword in ("maximum", "minimum"):
        exclusive = parent.get("exclusiveMaximum" if keyword == "maximum" else "exclusiveMinimum")
        inclusive = exclusive is not True  # draft-04 boolean form
        comparison = ("<" if keyword == "maximum" else ">") + ("=" if inclusive else "")
        return (
            {"comparison": comparison, "limit": _js(limit), "exclusive": not inclusive},
            f"should be {comparison} {_js(limit)}",
        )
    comparison = "<" if keyword == "exclusiveMaximum" else ">"
    return (
        {"comparison": comparison, "limit": _js(limit), "exclusive": True},
        f"should be {comparison} {_js(limit)}",
    )


def _duplicate(items: list[Any]) -> tuple[int, int]:
    for i in range(len(items) - 1, -1, -1):
        for j in range(i - 1, -1, -1):
            if items[i] == items[j] and type(items[i]) is type(items[j]):
                return i, j
    return 0, 0


def _extra_properties(schema: dict[str, Any], instance: dict[str, Any]) -> list[str]:
    known = schema.get("properties") or {}
    patterns = [re.compile(p) for p in (schema.get("patternProperties") or {})]
    return [
        key
        for key in instance
        if key not in known and not any(pattern.search(key) for pattern in patterns)
    ]


def _passing(validator: Any, error: ValidationError) -> list[int]:
    schemas: Any = error.validator_value
    return [
        index
        for index, sub in enumerate(schemas)
        if validator.evolve(schema=sub).is_valid(error.instance)
    ]


def _convert(validator: Any, error: ValidationError) -> list[dict[str, Any]]:
    keyword = str(error.validator)
    value: Any = error.validator_value
    instance: Any = error.instance
    path = data_path(error.absolute_path)
    spath = schema_path(list(error.absolute_schema_path))
    if keyword == "type":
        types = ",".join(value) if isinstance(value, list) else str(value)
        return [_error(keyword, path, spath, {"type": types}, f"should be {types}")]
    if keyword == "required":
        return [
            _error(
                keyword,
                path,
                spath,
                {"missingProperty": name},
                f"should have required property '{name}'",
            )
            for name in value
            if isinstance(instance, dict) and name not in instance
        ]
    if keyword == "additionalProperties" and value is False and isinstance(error.schema, dict):
        return [
            _error(
                keyword,
                path,
                spath,
                {"additionalProperty": name},
                "should NOT have additional properties",
            )
            for name in _extra_properties(error.schema, instance)
        ]
    simple: dict[str, tuple[dict[str, Any], str]] = {
        "pattern": ({"pattern": value}, f'should match pattern "{value}"'),
        "format": ({"format": value}, f'should match format "{value}"'),
        "maxLength": (
            {"limit": _js(value)},
            f"should NOT be longer than {_js(value)} characters",
        ),
        "minLength": (
            {"limit": _js(value)},
            f"should NOT be shorter than {_js(value)} characters",
        ),
        "maxItems": ({"limit": _js(value)}, f"should NOT have more than {_js(value)} items"),
        "minItems": ({"limit": _js(value)}, f"should NOT have fewer than {_js(value)} items"),
        "maxProperties": (
            {"limit": _js(value)},
            f"should NOT have more than {_js(value)} properties",
        ),
        "minProperties": (
            {"limit": _js(value)},
            f"should NOT have fewer than {_js(value)} properties",
        ),
        "enum": ({"allowedValues": value}, "should be equal to one of the allowed values"),
        "const": ({"allowedValue": value}, "should be equal to constant"),
        "multipleOf": ({"multipleOf": _js(value)}, f"should be multiple of {_js(value)}"),
        "not": ({}, "should NOT be valid"),
        "anyOf": ({}, 'should match some schema in "anyOf"'),
        "contains": ({}, "should contain a valid item"),
    }
    if keyword in simple:
        params, message = simple[keyword]
        return [_error(keyword, path, spath, params, message)]
    if keyword in ("maximum", "minimum", "exclusiveMaximum", "exclusiveMinimum"):
        params, message = _limit(error, keyword, value)
        return [_error(keyword, path, spath, params, message)]
    if keyword == "oneOf":
        passing = _passing(validator, error)
        return [
            _error(
                keyword,
                path,
                spath,
                {"passingSchemas": passing or None},
                'should match exactly one schema in "oneOf"',
            )
        ]
    if keyword == "uniqueItems":
        i, j = _duplicate(list(instance))
        return [
            _error(
                keyword,
                path,
                spath,
                {"i": i, "j": j},
                f"should NOT have duplicate items (items ## {j} and {i} are identical)",
            )
        ]
    if keyword == "dependencies" and isinstance(instance, dict):
        return [
            _error(
                keyword,
                path,
                spath,
                {
                    "property": prop,
                    "missingProperty": missing,
                    "depsCount": len(deps),
                    "deps": ", ".join(deps),
                },
                f"should have property {', '.join(deps)} when property {prop} is present",
            )
            for prop, deps in value.items()
            if prop in instance and isinstance(deps, list)
            for missing in deps
            if missing not in instance
        ]
    return [_error(keyword, path, spath, {}, error.message)]


def _flatten(validator: Any, errors: Iterable[ValidationError]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    expanded: set[tuple[Any, ...]] = set()
    for error in errors:
        if error.validator in ("anyOf", "oneOf") and error.context:
            out.extend(_flatten(validator, error.context))
        if error.validator in ("required", "additionalProperties", "dependencies"):
            # jsonschema reports these once per property; _convert lists them all at once
            key = (error.validator, tuple(error.absolute_path), tuple(error.absolute_schema_path))
            if key in expanded:
                continue
            expanded.add(key)
        out.extend(_convert(validator, error))
    return out


class AjvReporter:
    """Lists why events fail one schema (with no `$ref`s left in it), as AJV error objects."""

    def __init__(self, schema: dict[str, Any]) -> None:
        cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft7Validator)
        self._validator = cls(schema, format_checker=_FORMAT_CHECKER)

    def errors(self, event: Any) -> list[dict[str, Any]]:
        """Every reason `event` fails the schema; empty when it is valid."""
        return _flatten(self._validator, self._validator.iter_errors(event))


def errors_text(errors: list[dict[str, Any]]) -> str:
    """EventGate's `errorsText`: `'<dataPath>' <message>` for each error, joined with ", "."""
    return ", ".join(f"'{e['dataPath']}' {e['message']}" for e in errors)
