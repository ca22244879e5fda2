from __future__ import annotations

from typing import Any

from tallyflow.schemas.changes import breaking, compare

OLD: dict[str, Any] = {
    "$id": "/t/1.0.0",
    "type": "object",
    "required": ["a"],
    "properties": {
        "a": {"type": "string", "maxLength": 64},
        "description": {"type": "string"},
        "kind": {"type": "string", "enum": ["x", "y"]},
        "n": {"type": "integer"},
    },
}


def _new(**changes: Any) -> dict[str, Any]:
    import copy

    new = copy.deepcopy(OLD)
    new["properties"].update(changes)
    return new


def _kinds(new: dict[str, Any]) -> list[tuple[str, str, bool]]:
    return [(c.path, c.kind, c.breaking) for c in compare(OLD, new)]


def test_identical_schemas_have_no_changes() -> None:
    assert compare(OLD, OLD) == []


def test_added_field_and_enum_value_are_compatible() -> None:
    new = _new(b={"type": "boolean"}, kind={"type": "string", "enum": ["x", "y", "z"]})
    assert _kinds(new) == [
        (".properties.kind.enum", "enum-added", False),
        (".properties.b", "added-field", False),
    ]


def test_id_description_examples_may_change() -> None:
    new = dict(_new(), **{"$id": "/t/1.1.0", "description": "d", "examples": [{}]})
    assert breaking(compare(OLD, new)) == []


def test_a_property_named_description_is_still_a_field() -> None:
    new = _new()
    del new["properties"]["description"]
    assert _kinds(new) == [(".properties.description", "removed-field", True)]


def test_max_length_may_grow_but_not_shrink() -> None:
    assert _kinds(_new(a={"type": "string", "maxLength": 128})) == [
        (".properties.a.maxLength", "widened", False)
    ]
    shrunk = compare(OLD, _new(a={"type": "string", "maxLength": 10}))
    assert [(c.kind, c.breaking, c.strict) for c in shrunk] == [("narrowed", True, True)]


def test_new_constraint_on_an_existing_field_breaks() -> None:
    changes = compare(OLD, _new(n={"type": "integer", "maximum": 10}))
    assert [(c.path, c.kind, c.breaking, c.strict) for c in changes] == [
        (".properties.n.maximum", "added-constraint", True, True)
    ]


def test_required_must_stay_the_same_set() -> None:
    more = dict(_new(), required=["n", "a"])
    fewer = dict(_new(), required=[])
    reordered = dict(_new(), required=["a"])
    assert [c.summary for c in compare(OLD, more)] == ["'n' became required"]
    assert [c.summary for c in compare(OLD, fewer)] == ["'a' is no longer required"]
    assert compare(OLD, reordered) == []


def test_type_changes_and_kind_changes_break() -> None:
    assert _kinds(_new(n={"type": "number"})) == [(".properties.n.type", "changed-type", True)]
    assert _kinds(_new(n={"type": ["integer", "null"]})) == [
        (".properties.n.type", "changed-type", True)
    ]
