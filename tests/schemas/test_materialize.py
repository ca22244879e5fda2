from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tallyflow.errors import SchemaError
from tallyflow.schemas.config import ToolsConfig
from tallyflow.schemas.dereference import RefResolver
from tallyflow.schemas.documents import read_document
from tallyflow.schemas.inventory import load_schema_file
from tallyflow.schemas.materialize import materialize_file, materialize_schema
from tests.schemas.conftest import ALL_TITLES, NEEDS_PRIMARY, Evolve, event_of


def _latest(config: ToolsConfig, title: str) -> tuple[Path, object]:
    current = config.root / title / "current.yaml"
    version = load_schema_file(current, config).version
    return current, read_document(config.root / title / f"{version}.yaml")


@pytest.mark.parametrize("title", ALL_TITLES)
def test_current_materializes_to_the_latest_committed_version(
    config: ToolsConfig, title: str
) -> None:
    current, latest = _latest(config, title)
    record = load_schema_file(current, config)
    resolver = RefResolver(config.schema_base_uris)
    assert materialize_schema(record.schema, current, config, resolver) == latest


@pytest.mark.parametrize("title", sorted(NEEDS_PRIMARY))
def test_offline_the_missing_fragment_is_named_with_its_file(
    offline_config: ToolsConfig, title: str
) -> None:
    current = offline_config.root / title / "current.yaml"
    record = load_schema_file(current, offline_config)
    with pytest.raises(SchemaError) as raised:
        materialize_schema(
            record.schema, current, offline_config, RefResolver(offline_config.schema_base_uris)
        )
    assert repr(NEEDS_PRIMARY[title]) in raised.value.message
    assert str(current) in raised.value.message
    assert "schemaBaseUris" in (raised.value.hint or "")


def test_writing_a_new_version_adds_files_and_moves_the_links(
    config: ToolsConfig, evolve: Evolve
) -> None:
    title = "analytics/legacy/codemirrorusage"
    directory = config.root / title

    def add_field(schema: dict) -> None:
        event_of(schema)["properties"]["theme"] = {"type": "string"}

    evolve(title, "1.2.0", add_field)
    written = read_document(directory / "1.2.0.yaml")
    assert written["$id"] == "/analytics/legacy/codemirrorusage/1.2.0"
    assert written["properties"]["event"]["properties"]["theme"] == {"type": "string"}
    assert "$ref" not in json.dumps(written) and "allOf" not in written
    assert os.readlink(directory / "1.2.0") == "1.2.0.yaml"
    assert os.readlink(directory / "latest") == "1.2.0.yaml"
    assert os.readlink(directory / "latest.yaml") == "1.2.0.yaml"
    assert not (directory / "1.2.0.json").exists()  # contentTypes: [yaml]


def test_an_older_version_does_not_move_latest(config: ToolsConfig, evolve: Evolve) -> None:
    directory = config.root / "analytics/legacy/templatedataapi"
    evolve("analytics/legacy/templatedataapi", "1.0.1", lambda schema: None)
    assert (directory / "1.0.1.yaml").is_file()
    assert os.readlink(directory / "1.0.1") == "1.0.1.yaml"
    assert os.readlink(directory / "latest.yaml") == "1.1.0.yaml"


def test_json_content_type_and_dry_run(config: ToolsConfig) -> None:
    from dataclasses import replace

    both = replace(config, content_types=("yaml", "json"))
    current = config.root / "analytics/legacy/referencepreviewscite/current.yaml"
    resolver = RefResolver(config.schema_base_uris)
    planned = materialize_file(current, both, resolver, dry_run=True)
    assert [p.name for p in planned.files] == ["1.1.0.yaml", "1.1.0.json"]
    assert not (current.parent / "1.1.0.json").exists()
    materialize_file(current, both, resolver)
    as_json = json.loads((current.parent / "1.1.0.json").read_text())
    assert as_json == read_document(current.parent / "1.1.0.yaml")
    assert list(as_json)[:4] == ["title", "description", "$id", "$schema"]
    assert os.readlink(current.parent / "latest.json") == "1.1.0.json"
    assert os.readlink(current.parent / "latest") == "1.1.0.yaml"


def test_numeric_bounds_are_filled_in_not_clamped(config: ToolsConfig) -> None:
    directory = config.root / "analytics/legacy/codemirrorusage"
    latest = read_document(directory / "1.1.0.yaml")
    field = latest["properties"]["event"]["properties"]["edit_start_ts_ms"]
    assert field["maximum"] == 100000000000000000
    assert field["minimum"] == -9007199254740991
