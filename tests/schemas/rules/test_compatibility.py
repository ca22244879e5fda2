"""Each breaking change a user can make to a copy of a fixture fails, with a message naming the
schema, both versions, the JSON path and the rule; compatible changes pass."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tallyflow.schemas.config import ToolsConfig
from tallyflow.schemas.dereference import RefResolver
from tallyflow.schemas.rules.outcome import FAILED, PASSED, SKIPPED
from tallyflow.schemas.rules.run import run_rules
from tests.schemas.conftest import Evolve, event_of

TITLE = "analytics/legacy/codemirrorusage"
EVENT = ".properties.event"


def _remove_field(schema: dict[str, Any]) -> None:
    event = event_of(schema)
    del event["properties"]["user_edit_count_bucket"]


def _change_type(schema: dict[str, Any]) -> None:
    event_of(schema)["properties"]["user_id"]["type"] = "string"


def _new_required(schema: dict[str, Any]) -> None:
    event_of(schema)["required"].append("user_edit_count_bucket")


def _narrow_constraint(schema: dict[str, Any]) -> None:
    event_of(schema)["properties"]["user_id"]["minimum"] = 0


def _remove_enum_value(schema: dict[str, Any]) -> None:
    event_of(schema)["properties"]["editor"]["enum"].remove("wikitext")


def _rename_field(schema: dict[str, Any]) -> None:
    properties = event_of(schema)["properties"]
    properties["edit_count_bucket"] = properties.pop("user_edit_count_bucket")
    for example in schema["examples"]:
        example["event"].pop("user_edit_count_bucket", None)


BREAKING: dict[str, tuple[Callable[[dict[str, Any]], None], str, str]] = {
    "removed field": (
        _remove_field,
        f"{EVENT}.properties.user_edit_count_bucket",
        "field 'user_edit_count_bucket' removed",
    ),
    "changed type": (_change_type, f"{EVENT}.properties.user_id.type", "'integer' became 'string'"),
    "new required field": (
        _new_required,
        f"{EVENT}.required",
        "'user_edit_count_bucket' became required",
    ),
    "narrowed constraint": (
        _narrow_constraint,
        f"{EVENT}.properties.user_id.minimum",
        "-9007199254740991 became 0",
    ),
    "removed enum value": (_remove_enum_value, f"{EVENT}.properties.editor.enum", "'wikitext'"),
    "renamed field": (
        _rename_field,
        f"{EVENT}.properties.user_edit_count_bucket",
        "renamed to 'edit_count_bucket'?",
    ),
}


@pytest.mark.parametrize("change", sorted(BREAKING))
def test_breaking_change_fails_naming_schema_versions_path_and_rule(
    config: ToolsConfig, evolve: Evolve, change: str
) -> None:
    edit, path, words = BREAKING[change]
    evolve(TITLE, "1.2.0", edit)
    report = run_rules(config, RefResolver(config.schema_base_uris), {TITLE})
    failures = [f for f in report.failures if f.rule == "schema-version-compatibility"]
    assert failures, f"{change} was not caught"
    described = [f.describe() for f in failures]
    match = [d for d in described if path in d and words in d]
    assert match, described
    assert match[0].startswith(f"{TITLE} 1.1.0 → 1.2.0: schema-version-compatibility at {path}")
    assert all("2.0.0" in (f.hint or "") for f in failures)


def test_added_optional_field_and_enum_value_pass(config: ToolsConfig, evolve: Evolve) -> None:
    def compatible(schema: dict[str, Any]) -> None:
        event = event_of(schema)
        event["properties"]["theme"] = {"type": "string", "description": "new"}
        event["properties"]["editor"]["enum"].append("visual")
        event["properties"]["editor"]["description"] = "reworded"

    evolve(TITLE, "1.2.0", compatible)
    report = run_rules(config, RefResolver(config.schema_base_uris), {TITLE})
    assert report.failures == []
    pairs = [o for o in report.outcomes if o.rule == "schema-version-compatibility"]
    assert [(o.old_version, o.version, o.status) for o in pairs] == [
        ("1.0.0", "1.1.0", PASSED),
        ("1.1.0", "1.2.0", PASSED),
    ]


def test_a_new_major_version_may_break(config: ToolsConfig, evolve: Evolve) -> None:
    evolve(TITLE, "2.0.0", _remove_field)
    report = run_rules(config, RefResolver(config.schema_base_uris), {TITLE})
    assert report.failures == []


def test_skip_list_matches_the_newer_files_id(config: ToolsConfig) -> None:
    report = run_rules(
        config, RefResolver(config.schema_base_uris), {"fragment/analytics/legacy/eventcapsule"}
    )
    skipped = [
        (o.old_version, o.version)
        for o in report.outcomes
        if o.rule == "schema-version-compatibility" and o.status == SKIPPED
    ]
    assert skipped == [("1.1.0", "1.2.0")]


def test_without_the_skip_list_the_known_upstream_breaks_fail(config: ToolsConfig) -> None:
    from dataclasses import replace

    bare = replace(config, skip_schema_test_cases={})
    report = run_rules(bare, RefResolver(bare.schema_base_uris))
    broken = {
        (o.title, o.old_version, o.version)
        for o in report.outcomes
        if o.rule == "schema-version-compatibility" and o.status == FAILED
    }
    assert broken == {
        ("fragment/analytics/legacy/eventcapsule", "1.1.0", "1.2.0"),
        ("analytics/legacy/templatewizard", "1.1.0", "1.2.0"),
        ("fragment/analytics/common", "1.0.0", "1.1.0"),
        ("analytics/legacy/editattemptstep", "1.4.1", "1.5.0"),
        ("fragment/analytics/web", "1.0.0", "1.0.1"),
    }
