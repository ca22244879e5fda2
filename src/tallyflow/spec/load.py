"""Loading metric specs: `metrics/*.yaml` (and `*.yml`) of a project, strictly.

Input: spec files. Output: `SpecFile`s (the model, the file, the line of every key). A file
that is not valid YAML, has an unknown key (with the closest valid key suggested) or a value
of the wrong type raises `ConfigError` naming the file and the line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from tallyflow.errors import ConfigError
from tallyflow.project import Project, describe_validation_error
from tallyflow.spec.models import Spec
from tallyflow.yamlfile import KeyPath, Locations, load_yaml


@dataclass(frozen=True)
class SpecFile:
    """One loaded spec and where its keys are."""

    path: Path
    spec: Spec
    locations: Locations

    @property
    def id(self) -> str:
        """A stable identifier: the file name without extension, as a slug."""
        return re.sub(r"[^a-z0-9]+", "-", self.path.stem.lower()).strip("-") or "spec"

    def line(self, key_path: KeyPath) -> int | None:
        return self.locations.line(key_path)

    def where(self, key_path: KeyPath) -> str:
        return self.locations.where(key_path)


def load_spec(path: Path) -> SpecFile:
    """Read and check one spec file."""
    data, locations = load_yaml(path)
    if not isinstance(data, dict):
        raise ConfigError(
            f"{path}:1: a metric spec is a mapping (feature, owner, ticket, metrics, ...)",
            hint="see docs/spec.md for the spec file format",
        )
    try:
        spec = Spec.model_validate(data)
    except ValidationError as error:
        raise ConfigError(
            describe_validation_error(error, Spec, locations),
            hint="see docs/spec.md for every key of a metric spec",
        ) from None
    return SpecFile(path=path, spec=spec, locations=locations)


def spec_paths(project: Project) -> list[Path]:
    """The spec files of a project, sorted by name."""
    folder = project.path(project.settings.metrics)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def load_specs(project: Project) -> list[SpecFile]:
    """Every spec of a project; the first bad file raises."""
    paths = spec_paths(project)
    if not paths:
        raise ConfigError(
            f"{project.path(project.settings.metrics)}: no metric specs (*.yaml) found",
            hint="write one spec per feature into metrics/ (see docs/spec.md), or set `metrics:`",
        )
    return [load_spec(path) for path in paths]
