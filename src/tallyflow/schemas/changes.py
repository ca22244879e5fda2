"""Schema evolution: the list of changes between two versions of a schema, each marked
compatible or breaking.

Input: two materialized schemas (old, new). Output: `Change` records with the JSON path
(jsonschema-tools' `.properties.event.properties.editor` form), what changed, and whether it
breaks producers or consumers. `schemas diff` prints them; the `schema-version-compatibility`
rule fails on the breaking ones.

The walk is jsonschema-tools' `assertCompatible`: it goes over the *old* schema's keys.
- A key missing in the new schema breaks (a removed field, a removed `format`/`minimum`/…).
- `required` must stay the same set; `enum` may only grow; scalars must stay equal; arrays are
  compared item by item and may grow; a value of another JSON type breaks.
- `$id`, `description` and `examples` may change.
Deliberate differences (`Change.strict`; docs/schemas.md explains them): those three names are
only skipped as keywords, not as property names; `maxLength` may grow but not shrink
(jsonschema-tools 1.3.0 lets it change freely); a constraint added to an existing schema node
(a new `required` list, `enum`, `format`, `pattern`, bound, …) breaks, where jsonschema-tools
never looks at keys the old schema did not have.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

ALLOWED_TO_CHANGE = frozenset({"$id", "description", "examples"})
_ANNOTATIONS = frozenset(
    {
        "title",
        "description",
        "examples",
        "$comment",
        "default",
        "deprecated",
        "readOnly",
        "writeOnly",
        "$id",
        "$schema",
        "properties",
        "definitions",
    }
)
_PROPERTY_MAPS = frozenset({"properties", "patternProperties", "definitions"})


@dataclass(frozen=True)
class Change:
    """One difference between an old and a new schema."""

    path: str
    kind: str
    summary: str
    breaking: bool
    old: Any = None
    new: Any = None
    strict: bool = False


def compare(old: Any, new: Any) -> list[Change]:
    """Every change from `old` to `new`, in a stable order (old keys first, then additions)."""
    changes: list[Change] = []
    _compare(old, new, "", False, changes)
    return changes


def breaking(changes: list[Change]) -> list[Change]:
    return [change for change in changes if change.breaking]


def _js_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _compare(old: Any, new: Any, path: str, in_map: bool, out: list[Change]) -> None:
    if _js_type(old) != _js_type(new):
        kind = "changed-type" if path.endswith(".type") else "changed-kind"
        out.append(Change(path, kind, f"{_show(old)} became {_show(new)}", True, old, new))
        return
    if isinstance(old, dict) and isinstance(new, dict):
        _compare_mapping(old, new, path, in_map, out)
    elif isinstance(old, list) and isinstance(new, list):
        for index, item in enumerate(old):
            child = f"{path}[{index}]"
            if index >= len(new):
                out.append(Change(child, "removed-item", f"{_show(item)} removed", True, item))
            else:
                _compare(item, new[index], child, False, out)
        for index in range(len(old), len(new)):
            out.append(
                Change(f"{path}[{index}]", "added-item", f"{_show(new[index])} added", False)
            )
    elif old != new:
        kind = "changed-type" if path.endswith(".type") else "changed-value"
        out.append(Change(path, kind, f"{_show(old)} became {_show(new)}", True, old, new))


def _compare_mapping(
    old: dict[str, Any], new: dict[str, Any], path: str, in_map: bool, out: list[Change]
) -> None:
    removed = [key for key in old if key not in new]
    added = [key for key in new if key not in old]
    for key in old:
        child = f"{path}.{key}"
        if in_map:
            if key in new:
                _compare(old[key], new[key], child, False, out)
            else:
                out.append(_removed_field(key, child, old[key], new, added))
            continue
        if key in ALLOWED_TO_CHANGE:
            if old[key] != new.get(key):
                out.append(
                    Change(child, "annotation", f"{key} changed", False, old[key], new.get(key))
                )
        elif key == "required":
            _compare_required(old[key], new, child, out)
        elif key == "enum":
            _compare_enum(old[key], new, child, out)
        elif key == "maxLength":
            _compare_max_length(old[key], new.get(key), child, out)
        elif key not in new:
            out.append(
                Change(
                    child, "removed-keyword", f"{key}: {_show(old[key])} removed", True, old[key]
                )
            )
        else:
            _compare(old[key], new[key], child, key in _PROPERTY_MAPS, out)
    for key in added:
        child = f"{path}.{key}"
        if in_map:
            renamed = _renamed_to(new[key], {k: old[k] for k in removed})
            note = f" (replaces removed {renamed!r}?)" if renamed else ""
            out.append(
                Change(child, "added-field", f"field {key!r} added{note}", False, None, new[key])
            )
        elif key in _ANNOTATIONS or (key == "additionalProperties" and new[key] is True):
            out.append(Change(child, "annotation", f"{key} added", False, None, new[key]))
        elif key == "required" and not new[key]:
            continue
        else:
            what = "new required fields " if key == "required" else "new constraint "
            out.append(
                Change(
                    child,
                    "added-constraint",
                    f"{what}{key}: {_show(new[key])}",
                    True,
                    None,
                    new[key],
                    strict=True,
                )
            )


def _removed_field(
    name: str, path: str, schema: Any, new_map: dict[str, Any], added: list[str]
) -> Change:
    renamed = _renamed_to(schema, {key: new_map[key] for key in added})
    note = f" (renamed to {renamed!r}?)" if renamed else ""
    return Change(path, "removed-field", f"field {name!r} removed{note}", True, schema)


def _renamed_to(schema: Any, candidates: dict[str, Any]) -> str | None:
    """The one added field with exactly the removed field's schema, if there is one."""
    same = [name for name, other in candidates.items() if other == schema]
    return same[0] if len(same) == 1 and len(candidates) == 1 else None


def _compare_required(old: Any, new: dict[str, Any], path: str, out: list[Change]) -> None:
    if "required" not in new:
        out.append(Change(path, "removed-required", "the required list was removed", True, old))
        return
    old_names, new_names = set(old or []), set(new["required"] or [])
    for name in sorted(new_names - old_names):
        out.append(Change(path, "new-required", f"{name!r} became required", True, None, name))
    for name in sorted(old_names - new_names):
        out.append(
            Change(path, "no-longer-required", f"{name!r} is no longer required", True, name)
        )


def _compare_enum(old: Any, new: dict[str, Any], path: str, out: list[Change]) -> None:
    if "enum" not in new:
        out.append(Change(path, "removed-enum", "the enum was removed", True, old))
        return
    old_values, new_values = list(old or []), list(new["enum"] or [])
    for value in old_values:
        if value not in new_values:
            out.append(Change(path, "enum-removed", f"value {_show(value)} removed", True, value))
    for value in new_values:
        if value not in old_values:
            out.append(
                Change(path, "enum-added", f"value {_show(value)} added", False, None, value)
            )


def _compare_max_length(old: Any, new: Any, path: str, out: list[Change]) -> None:
    if new is None:
        out.append(Change(path, "widened", f"maxLength {old} removed", False, old))
    elif isinstance(old, int | float) and isinstance(new, int | float) and new < old:
        out.append(
            Change(
                path,
                "narrowed",
                f"maxLength narrowed from {old} to {new}",
                True,
                old,
                new,
                strict=True,
            )
        )
    elif old != new:
        out.append(Change(path, "widened", f"maxLength {old} became {new}", False, old, new))


def _show(value: Any) -> str:
    if isinstance(value, dict):
        kind = value.get("type")
        return f"a {kind} schema" if isinstance(kind, str) else "a mapping"
    if isinstance(value, list):
        return (
            "[" + ", ".join(_show(item) for item in value[:6]) + (", …]" if len(value) > 6 else "]")
        )
    if isinstance(value, str):
        return repr(value)
    return (
        "null" if value is None else str(value).lower() if isinstance(value, bool) else str(value)
    )
