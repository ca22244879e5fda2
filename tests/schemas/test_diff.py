from __future__ import annotations

import pytest
import yaml

from tallyflow.errors import UsageError
from tallyflow.schemas.config import ToolsConfig
from tallyflow.schemas.diff import diff_schemas
from tallyflow.schemas.documents import read_document
from tests.schemas.conftest import Evolve, event_of


def test_diff_between_committed_versions(config: ToolsConfig) -> None:
    result = diff_schemas(
        "analytics/legacy/referencepreviewspopups/1.0.0",
        "/analytics/legacy/referencepreviewspopups/1.1.0",
        [config],
    )
    assert result.verdict == "compatible"
    added = [c.summary for c in result.changes if c.kind == "enum-added"]
    assert added == ["value 'anonymousEnabled' added", "value 'anonymousDisabled' added"]


def test_diff_of_an_edited_current_against_latest(config: ToolsConfig) -> None:
    current = config.root / "analytics/legacy/codemirrorusage/current.yaml"
    schema = read_document(current)
    event_of(schema)["required"].remove("user_id")
    current.write_text(yaml.safe_dump(schema, sort_keys=False))
    result = diff_schemas(
        "analytics/legacy/codemirrorusage/latest",
        "analytics/legacy/codemirrorusage/current",
        [config],
    )
    assert result.verdict == "breaking" and not result.new_major
    assert [c.summary for c in result.breaking] == ["'user_id' is no longer required"]


def test_a_new_major_version_is_flagged(config: ToolsConfig, evolve: Evolve) -> None:
    evolve(
        "analytics/legacy/codemirrorusage",
        "2.0.0",
        lambda s: event_of(s)["properties"].pop("toggled"),
    )
    result = diff_schemas(
        "analytics/legacy/codemirrorusage/1.1.0", "analytics/legacy/codemirrorusage/2.0.0", [config]
    )
    assert result.verdict == "breaking" and result.new_major
    breaking = [c for c in result.as_json()["changes"] if c["breaking"]]
    assert [c["path"] for c in breaking] == [".properties.event.properties.toggled"]


def test_unknown_reference_is_a_usage_error(config: ToolsConfig) -> None:
    with pytest.raises(UsageError, match="no schema file"):
        diff_schemas("analytics/legacy/nope/1.0.0", "analytics/legacy/nope/1.1.0", [config])
