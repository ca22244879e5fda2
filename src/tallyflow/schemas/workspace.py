"""The schema roots of a project and the options of each.

Input: a `Project` (tallyflow.yaml `schemas.base_paths`), optional config files and overrides
from the command line. Output: one `ToolsConfig` per root that exists, and lookups from a file
path to its root. Every root's `$ref`s resolve against its own `schemaBaseUris`, which default
to all roots (its own first).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from tallyflow.errors import ConfigError, UsageError
from tallyflow.project import Project
from tallyflow.schemas.config import ToolsConfig, load_config


def root_configs(
    project: Project,
    *,
    files: Sequence[Path] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> list[ToolsConfig]:
    roots = project.schema_paths
    existing = [root for root in roots if root.is_dir()]
    if not existing:
        raise ConfigError(
            f"no schema repository: {', '.join(str(r) for r in roots)} does not exist",
            hint="create it, or set `schemas.base_paths` in tallyflow.yaml",
        )
    return [
        load_config(
            root,
            project_root=project.root,
            extra_roots=[other for other in existing if other != root],
            files=files,
            overrides=overrides,
        )
        for root in existing
    ]


def config_for(path: Path, configs: Sequence[ToolsConfig]) -> ToolsConfig:
    """The config of the root that holds `path`."""
    resolved = path.resolve()
    for config in configs:
        if resolved == config.root or config.root in resolved.parents:
            return config
    raise UsageError(
        f"{path} is not inside a schema root ({', '.join(str(c.root) for c in configs)})",
        hint="pass files under `schemas.base_paths`, or change that setting in tallyflow.yaml",
    )
