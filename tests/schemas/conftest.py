"""Fixtures for the schema repository tools: the Wikimedia fixtures as a project, helpers to
evolve a schema the way a user does (edit current.yaml, bump the version, materialize)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from tallyflow.schemas.config import ToolsConfig, load_config
from tallyflow.schemas.dereference import RefResolver
from tallyflow.schemas.documents import read_document
from tallyflow.schemas.materialize import materialize_file
from tests.conftest import FIXTURES

LEGACY_TITLES = [
    "analytics/legacy/codemirrorusage",
    "analytics/legacy/contenttranslationabusefilter",
    "analytics/legacy/editattemptstep",
    "analytics/legacy/mediawikipingback",
    "analytics/legacy/referencepreviewsbaseline",
    "analytics/legacy/referencepreviewscite",
    "analytics/legacy/referencepreviewspopups",
    "analytics/legacy/templatedataapi",
    "analytics/legacy/templatedataeditor",
    "analytics/legacy/templatewizard",
    "analytics/legacy/visualeditorfeatureuse",
    "analytics/legacy/visualeditortemplatedialoguse",
]
FRAGMENT_TITLES = [
    "fragment/analytics/common",
    "fragment/analytics/legacy/eventcapsule",
    "fragment/analytics/web",
]
ALL_TITLES = LEGACY_TITLES + FRAGMENT_TITLES
# Current files that $ref fragments of the primary repository (reference §1.3).
NEEDS_PRIMARY = {
    "analytics/legacy/editattemptstep": "/fragment/http/client_ip/1.0.0#",
    "fragment/analytics/common": "/fragment/common/1.0.0#",
}


@pytest.fixture
def primary_repo(tmp_path: Path) -> Path:
    """A copy of the three primary-repository fragments (symlinks kept)."""
    target = tmp_path / "schemas-primary"
    shutil.copytree(FIXTURES / "schemas-primary", target, symlinks=True)
    return target


@pytest.fixture
def config(schema_repo: Path, primary_repo: Path) -> ToolsConfig:
    """The fixture repository's own .jsonschema-tools.yaml, with local base URIs only."""
    return load_config(
        schema_repo,
        project_root=schema_repo,
        overrides={"schema_base_uris": (str(schema_repo), str(primary_repo))},
    )


@pytest.fixture
def offline_config(schema_repo: Path) -> ToolsConfig:
    """As `config`, without the primary repository (as offline upstream)."""
    return load_config(
        schema_repo, project_root=schema_repo, overrides={"schema_base_uris": (str(schema_repo),)}
    )


Evolve = Callable[[str, str, Callable[[dict[str, Any]], None]], Path]


@pytest.fixture
def evolve(config: ToolsConfig) -> Evolve:
    """Edit a title's current.yaml with `edit`, set its version, and materialize it."""

    def run(title: str, version: str, edit: Callable[[dict[str, Any]], None]) -> Path:
        current = config.root / title / "current.yaml"
        schema = read_document(current)
        edit(schema)
        schema["$id"] = f"/{title}/{version}"
        current.write_text(yaml.safe_dump(schema, sort_keys=False))
        materialize_file(current, config, RefResolver(config.schema_base_uris))
        return current

    return run


def event_of(schema: dict[str, Any]) -> dict[str, Any]:
    """The `event` property of a legacy current.yaml, at the root or in an allOf branch."""
    for node in [schema, *schema.get("allOf", [])]:
        if "event" in node.get("properties", {}):
            found: dict[str, Any] = node["properties"]["event"]
            return found
    raise AssertionError("no event property")
