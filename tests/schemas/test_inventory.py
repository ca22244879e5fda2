from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from tallyflow.errors import SchemaError
from tallyflow.schemas.config import ToolsConfig
from tallyflow.schemas.inventory import by_title, find_schema_files, load_schema_file


def test_only_current_and_semver_files_of_the_content_types_are_schemas(
    config: ToolsConfig,
) -> None:
    records = find_schema_files(config)
    names = {record.path.name for record in records}
    assert "latest.yaml" not in names and "latest" not in names and "1.0.0" not in names
    assert ".jsonschema-tools.yaml" not in names
    assert len(records) == 65
    assert sum(record.current for record in records) == 15


def test_sorted_common_first_then_shallow_then_by_version(config: ToolsConfig) -> None:
    titles = list(by_title(find_schema_files(config)))
    assert titles[0] == "fragment/analytics/common"
    assert titles.index("analytics/legacy/codemirrorusage") < titles.index(
        "fragment/analytics/legacy/eventcapsule"
    )
    versions = [
        str(r.version) for r in by_title(find_schema_files(config))["fragment/analytics/web"]
    ]
    assert versions == ["1.0.0", "1.0.1", "2.0.0", "2.0.0"]  # the last one is current.yaml


def test_ignore_schemas_drops_files_by_id(config: ToolsConfig) -> None:
    ignoring = replace(config, ignore_schemas=("^/analytics/legacy/editattemptstep/1\\.",))
    titles = by_title(find_schema_files(ignoring))
    versions = {str(r.version) for r in titles["analytics/legacy/editattemptstep"]}
    assert versions == {"2.0.0", "2.0.1", "2.0.2", "2.0.3", "2.1.0"}


def test_a_file_without_title_or_version_is_an_error(tmp_path: Path) -> None:
    config = ToolsConfig(root=tmp_path, schema_base_uris=(str(tmp_path),))
    (tmp_path / "1.0.0.yaml").write_text("type: object\n")
    with pytest.raises(SchemaError, match="has no title"):
        load_schema_file(tmp_path / "1.0.0.yaml", config)
