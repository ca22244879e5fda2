from __future__ import annotations

import pytest

from tallyflow.errors import SchemaError
from tallyflow.schemas.merge import merge_all_of


def test_required_lists_from_several_branches_are_sorted() -> None:
    merged = merge_all_of({"required": ["event"], "allOf": [{"required": ["meta", "$schema"]}]})
    assert merged["required"] == ["$schema", "event", "meta"]


def test_a_single_required_list_keeps_its_order() -> None:
    merged = merge_all_of(
        {"properties": {"e": {"required": ["z", "a"]}}, "allOf": [{"type": "object"}]}
    )
    assert merged["properties"]["e"]["required"] == ["z", "a"]


def test_properties_merge_recursively_and_first_annotation_wins() -> None:
    merged = merge_all_of(
        {
            "description": "root",
            "properties": {"http": {"type": "object", "properties": {"a": {"type": "string"}}}},
            "allOf": [
                {
                    "description": "fragment",
                    "additionalProperties": False,
                    "properties": {"http": {"properties": {"b": {"type": "integer"}}}},
                },
            ],
        }
    )
    assert merged["description"] == "root"
    assert merged["additionalProperties"] is False
    assert set(merged["properties"]["http"]["properties"]) == {"a", "b"}
    assert "allOf" not in merged


def test_bounds_take_the_tightest_and_types_intersect() -> None:
    merged = merge_all_of(
        {
            "allOf": [
                {"type": ["integer", "string"], "maximum": 5},
                {"type": "integer", "maximum": 3},
            ]
        }
    )
    assert merged == {"type": "integer", "maximum": 3}


def test_conflicts_are_errors_naming_the_key() -> None:
    with pytest.raises(SchemaError, match="'format'"):
        merge_all_of({"allOf": [{"format": "date"}, {"format": "date-time"}]})
    with pytest.raises(SchemaError, match="no common type"):
        merge_all_of({"allOf": [{"type": "string"}, {"type": "boolean"}]})
