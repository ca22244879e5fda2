"""A tallyflow project on disk: `tallyflow.yaml` (plus an optional profile) loaded into typed
settings.

Every key has a default, so the file may be empty. Unknown keys and wrong types are errors that
name the file, the line, the key path and the closest valid key. A profile (`profiles.<name>`
in tallyflow.yaml, chosen with `--profile` or `TALLYFLOW_PROFILE`) is deep-merged over the
settings before they are checked, so local runs can replace production hosts and databases
without editing production files.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from tallyflow.errors import ConfigError
from tallyflow.yamlfile import KeyPath, Locations, load_yaml

PROJECT_FILE = "tallyflow.yaml"
PROFILE_ENV = "TALLYFLOW_PROFILE"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def parse_size(value: str | int) -> int:
    """`4mb`, `100kb`, `512` (bytes) -> bytes, as EventGate's body-parser reads sizes."""
    if isinstance(value, int):
        return value
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?\s*", value.lower())
    if not match:
        raise ValueError(f"{value!r} is not a size; write e.g. 4mb, 100kb or 1048576")
    number, unit = float(match.group(1)), match.group(2) or "b"
    return int(number * {"b": 1, "kb": 1024, "mb": 1024**2, "gb": 1024**3}[unit])


class SchemaSettings(_Section):
    base_paths: list[str] = Field(default_factory=lambda: ["schemas"])
    """Schema repository roots, tried in order (EventGate's schema_base_uris)."""
    file_extension: str | None = None
    """Appended to a `$schema` URI whose last dot-segment is missing or numeric."""
    allow_insecure: bool = False
    """Accept schemas that fail AJV's secure-schema rules (EventGate's default is no)."""


class IntakeSettings(_Section):
    host: str = "127.0.0.1"
    port: int = Field(8192, ge=0, le=65535)
    workers: int = Field(1, ge=1)
    max_body_size: int = parse_size("4mb")
    cors: str | bool = "*"
    """Access-Control-Allow-Origin value; false turns CORS headers off."""
    csp: bool = True
    """Send the security headers (CSP, X-Frame-Options, ...)."""
    error_stream: str = "eventgate-analytics-external.error.validation"
    """Stream that receives one error event per invalid event."""
    emitter_id: str = "tallyflow"
    """`emitter_id` of error events (EventGate's user_agent)."""
    test_events: list[dict[str, Any]] | None = None
    """Events served by GET /v1/_test/events when set."""

    @field_validator("max_body_size", mode="before")
    @classmethod
    def _size(cls, value: Any) -> int:
        return parse_size(value)


class EventStoreSettings(_Section):
    flush_interval: float = Field(2.0, gt=0)
    """Seconds between write-ahead-log -> Parquet flushes (events are queryable after it)."""
    group_commit_ms: float = Field(0.0, ge=0)
    """Extra wait (ms) to gather appends into one fsync; appends during an fsync always share
    the next one."""
    compact_interval: float = Field(60.0, ge=0)
    """Seconds between compactions of closed hour partitions into one file (0: never)."""
    retention_days: int = Field(90, ge=1)
    """Raw partitions older than this are deleted (per stream: `retention_days` in streams.yaml)."""
    sanitize_allowlist: str | None = None
    """Allowlist YAML (Wikimedia event_sanitized format) of columns kept past retention."""


class StatsdSettings(_Section):
    host: str = "127.0.0.1"
    port: int = Field(8125, ge=0, le=65535)
    flush_interval: float = Field(10.0, gt=0)


class GraphiteSettings(_Section):
    host: str | None = None
    """Carbon plaintext receiver to send metrics to; none means off."""
    port: int = Field(2003, ge=0, le=65535)


class CarbonSettings(_Section):
    host: str = "127.0.0.1"
    port: int = Field(2003, ge=0, le=65535)


class UiSettings(_Section):
    host: str = "127.0.0.1"
    port: int = Field(8080, ge=0, le=65535)


class Settings(_Section):
    store: str = ".tallyflow"
    """Root of the event and series store, relative to the project."""
    schemas: SchemaSettings = SchemaSettings()
    streams: str = "streams.yaml"
    events: EventStoreSettings = EventStoreSettings()
    intake: IntakeSettings = IntakeSettings()
    statsd: StatsdSettings = StatsdSettings()
    graphite: GraphiteSettings = GraphiteSettings()
    carbon: CarbonSettings = CarbonSettings()
    ui: UiSettings = UiSettings()
    reports: str = "reports"
    """Folder of ReportUpdater query folders."""
    metrics: str = "metrics"
    """Folder of metric specs."""
    dashboards: str = "dashboards"
    """Where `dashboards build` writes Grafana JSON by default."""
    profiles: dict[str, dict[str, Any]] = Field(default_factory=dict)
    """Named overrides merged over these settings (`--profile NAME`)."""


@dataclass(frozen=True)
class Project:
    """A project directory and its settings; paths are resolved against `root`."""

    root: Path
    settings: Settings
    profile: str | None = None

    def path(self, relative: str | Path) -> Path:
        return (self.root / relative).resolve()

    @property
    def store_root(self) -> Path:
        return self.path(self.settings.store)

    @property
    def schema_paths(self) -> list[Path]:
        return [self.path(base) for base in self.settings.schemas.base_paths]

    @property
    def streams_path(self) -> Path:
        return self.path(self.settings.streams)


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _model_in(annotation: Any) -> tuple[type[BaseModel] | None, bool]:
    """The model inside `annotation` (`X`, `X | None`, `list[X]`, `dict[str, X]`), and whether
    a mapping key comes before it in a location."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, False
    keyed = get_origin(annotation) is dict
    for argument in get_args(annotation):
        found, _ = _model_in(argument)
        if found is not None:
            return found, keyed
    return None, False


def _valid_keys(model: type[BaseModel], loc: tuple[str | int, ...]) -> list[str]:
    """The keys allowed at `loc`'s parent, for did-you-mean."""
    current: type[BaseModel] = model
    skip_key = False
    for part in loc[:-1]:
        if isinstance(part, int) or skip_key:
            skip_key = False
            continue
        field = current.model_fields.get(part)
        found, skip_key = _model_in(field.annotation) if field is not None else (None, False)
        if found is None:
            return []
        current = found
    return list(current.model_fields)


def describe_validation_error(
    error: ValidationError, model: type[BaseModel], locations: Locations, prefix: KeyPath = ()
) -> str:
    """One line per problem: `file:line: key.path: what is wrong (did you mean ...?)`."""
    lines = []
    for problem in error.errors():
        loc = tuple(part for part in problem["loc"] if not isinstance(part, str) or part != "")
        key = ".".join(str(part) for part in (*prefix, *loc)) or "(top level)"
        where = locations.where((*prefix, *loc))
        if problem["type"] == "extra_forbidden":
            valid = _valid_keys(model, loc)
            close = difflib.get_close_matches(str(loc[-1]), valid, n=1)
            suggestion = f"; did you mean '{close[0]}'?" if close else ""
            known = f" Valid keys here: {', '.join(valid)}." if valid and not close else ""
            lines.append(f"{where}: unknown key '{key}'{suggestion}{known}")
        else:
            message = problem["msg"].removeprefix("Value error, ")
            lines.append(f"{where}: {key}: {message} (got {problem.get('input')!r})")
    return "\n".join(lines)


def load_project(directory: Path, profile: str | None = None) -> Project:
    """Load `<directory>/tallyflow.yaml` with the chosen profile applied."""
    root = directory.resolve()
    path = root / PROJECT_FILE
    if not path.is_file():
        raise ConfigError(
            f"{path}: no such file; {root} is not a tallyflow project",
            hint=f"run `tallyflow init {directory}` to create one, or pass -p/--project DIR",
        )
    data, locations = load_yaml(path)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}:1: expected a mapping of settings, got {type(data).__name__}")
    profile = profile or os.environ.get(PROFILE_ENV) or None
    if profile is not None:
        profiles = data.get("profiles") or {}
        if profile not in profiles:
            close = difflib.get_close_matches(profile, list(profiles), n=1)
            raise ConfigError(
                f"{locations.where(('profiles',))}: no profile '{profile}'"
                + (f"; did you mean '{close[0]}'?" if close else ""),
                hint="profiles are defined under `profiles:` in tallyflow.yaml",
            )
        if not isinstance(profiles[profile], dict):
            raise ConfigError(f"{locations.where(('profiles', profile))}: a profile is a mapping")
        data = _merge(data, profiles[profile])
    try:
        settings = Settings.model_validate(data)
    except ValidationError as error:
        raise ConfigError(
            describe_validation_error(error, Settings, locations),
            hint="see docs/configuration.md for every key and its default",
        ) from None
    return Project(root=root, settings=settings, profile=profile)
