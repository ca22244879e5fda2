from __future__ import annotations

import os
from pathlib import Path

from tallyflow.schemas.config import ToolsConfig
from tallyflow.schemas.dereference import RefResolver
from tallyflow.schemas.rules.run import run_rules
from tests.schemas.conftest import NEEDS_PRIMARY

TITLE = "analytics/legacy/templatedataapi"


def _failures(config: ToolsConfig, title: str = TITLE) -> list[str]:
    report = run_rules(config, RefResolver(config.schema_base_uris), {title})
    return [f"{o.rule}: {o.message}" for o in report.failures]


def test_the_whole_fixture_repository_passes_with_its_skip_list(config: ToolsConfig) -> None:
    report = run_rules(config, RefResolver(config.schema_base_uris))
    assert report.failures == []
    assert report.count("passed") > 600
    assert report.count("skipped") == 64  # the pending count of upstream's mocha run


def test_offline_only_the_two_documented_schemas_fail(offline_config: ToolsConfig) -> None:
    report = run_rules(offline_config, RefResolver(offline_config.schema_base_uris))
    assert {(o.rule, o.title) for o in report.failures} == {
        ("structure-latest-matches-current", title) for title in NEEDS_PRIMARY
    }
    for failure in report.failures:
        assert repr(NEEDS_PRIMARY[failure.title]) in failure.message
        assert "schemaBaseUris" in (failure.hint or "")


def test_editing_current_without_a_version_bump_fails(config: ToolsConfig) -> None:
    current = config.root / TITLE / "current.yaml"
    current.write_text(current.read_text().replace("required:", "required: []\n  x_required:", 0))
    text = current.read_text()
    current.write_text(
        text.replace("type: boolean", "type: boolean\n          description: new", 1)
    )
    failures = _failures(config)
    assert any(
        f.startswith("structure-latest-matches-current: 1.1.0.yaml differs") for f in failures
    )


def test_hand_edited_version_file_fails(config: ToolsConfig) -> None:
    latest = config.root / TITLE / "1.1.0.yaml"
    latest.write_text(latest.read_text().replace("type: boolean", "type: string", 1))
    failures = _failures(config)
    assert any("structure-latest-matches-current" in f for f in failures)


def test_bumped_but_not_materialized_fails(config: ToolsConfig) -> None:
    current = config.root / TITLE / "current.yaml"
    current.write_text(current.read_text().replace(f"/{TITLE}/1.1.0", f"/{TITLE}/1.2.0"))
    failures = _failures(config)
    assert any(
        f.startswith("structure-current-version-materialized: current.yaml is version 1.2.0")
        for f in failures
    )


def test_links_must_be_symlinks_to_the_right_files(config: ToolsConfig) -> None:
    directory = config.root / TITLE
    (directory / "latest").unlink()
    (directory / "latest").symlink_to("1.0.0.yaml")
    (directory / "1.0.0").unlink()
    (directory / "1.0.0").write_text("1.0.0.yaml")  # a plain file, as a broken checkout leaves
    failures = _failures(config)
    assert "structure-latest-links: latest points to 1.0.0.yaml, not 1.1.0.yaml" in failures
    assert "structure-version-files: 1.0.0 must be a symlink to 1.0.0.yaml" in failures


def test_directory_must_match_title_and_no_extensionless_current(config: ToolsConfig) -> None:
    directory = config.root / TITLE
    os.symlink("current.yaml", directory / "current")
    assert any(f.startswith("structure-no-extensionless-current") for f in _failures(config))
    moved = config.root / "analytics/legacy/elsewhere"
    directory.rename(moved)
    failures = _failures(config)
    assert failures and all(f.startswith("structure-directory-is-title") for f in failures)


def test_missing_current_stops_the_title(config: ToolsConfig) -> None:
    (config.root / TITLE / "current.yaml").unlink()
    failures = _failures(config)
    assert failures[0].startswith("structure-has-current-yaml")
    assert any(f.startswith("structure-current-exists") for f in failures)
    assert not any("latest" in f for f in failures)


def test_wrong_id_for_the_path_fails(config: ToolsConfig) -> None:
    old = config.root / TITLE / "1.0.0.yaml"
    old.write_text(old.read_text().replace(f"$id: /{TITLE}/1.0.0", "$id: /different/1.0.0"))
    assert any("does not match its path" in f for f in _failures(config))


def test_a_new_yaml_and_json_repository_passes_and_json_must_match(tmp_path: Path) -> None:
    from tallyflow.schemas.config import load_config
    from tallyflow.schemas.materialize import materialize_files

    root = tmp_path / "schemas"
    directory = root / "analytics" / "button_click"
    directory.mkdir(parents=True)
    (directory / "current.yaml").write_text(
        "title: analytics/button_click\n"
        "$id: /analytics/button_click/1.0.0\n"
        "$schema: https://json-schema.org/draft-07/schema#\n"
        "type: object\n"
        "properties:\n"
        "  $schema: {type: string}\n"
        "  count: {type: integer}\n"
        "examples:\n"
        "  - {$schema: {$ref: '#/$id'}, count: 3}\n"
    )
    config = load_config(root, project_root=tmp_path)  # defaults: yaml and json
    results, errors = materialize_files([(config, directory / "current.yaml")])
    assert errors == [] and [p.name for p in results[0].files] == ["1.0.0.yaml", "1.0.0.json"]
    assert _failures(config, "analytics/button_click") == []
    as_json = directory / "1.0.0.json"
    as_json.write_text(as_json.read_text().replace('"count": 3', '"count": 4'))
    assert _failures(config, "analytics/button_click") == [
        "structure-content-types-equal: 1.0.0.json differs from 1.0.0.yaml"
    ]
