"""Closed loop, collection: streams and schemas the specs rely on."""

from __future__ import annotations

from pathlib import Path

from tallyflow.spec.check_streams import check_streams
from tests.spec.conftest import findings, replace


def test_stream_missing_from_streams_yaml(example_project: Path) -> None:
    replace(example_project / "streams.yaml", "codemirror.toggle:", "codemirror.toggles:")
    [finding] = findings(example_project, check_streams)
    assert finding.rule == "stream-missing"
    spec = (example_project / "metrics" / "codemirror-toggle.yaml").resolve()
    assert finding.where == f"{spec}:16"
    assert "codemirror.toggle is not in" in finding.message


def test_sampling_and_schema_title_must_match_the_stream_config(example_project: Path) -> None:
    streams = example_project / "streams.yaml"
    replace(streams, "{rate: 0.0625, unit: session}", "{rate: 0.125, unit: session}")
    replace(streams, "schema_title: analytics/codemirror/toggle", "schema_title: analytics/x")
    rules = sorted(f.rule for f in findings(example_project, check_streams))
    assert rules == ["stream-sampling", "stream-schema"]


def test_missing_and_invalid_schemas(example_project: Path) -> None:
    latest = example_project / "schemas" / "analytics" / "codemirror" / "toggle" / "latest"
    latest.unlink()
    [missing] = findings(example_project, check_streams)
    assert missing.rule == "schema-missing" and "analytics/codemirror/toggle" in missing.message
    previews = example_project / "schemas" / "analytics" / "reference_previews" / "baseline"
    replace(previews / "1.0.0.yaml", "type: object\n", "type: 5\n")
    rules = [f.rule for f in findings(example_project, check_streams)]
    assert rules == ["schema-missing", "schema-invalid"]


def test_spec_fields_must_be_in_the_schema(example_project: Path) -> None:
    spec = example_project / "metrics" / "codemirror-toggle.yaml"
    replace(spec, "fields: [editor,", "fields: [editor_name,")
    replace(spec, "    field: wiki\n", "    field: event.wiki_db\n")
    found = findings(example_project, check_streams)
    assert [f.rule for f in found] == ["schema-field", "schema-field"]
    assert "field editor_name is not in schema analytics/codemirror/toggle" in found[0].message
