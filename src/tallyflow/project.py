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
from typing import Any, Literal, get_args, get_origin

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


class TimerHistogram(_Section):
    metric: str = ""
    """Substring of the timer key; the first matching entry wins ('' matches every timer)."""
    bins: list[float | Literal["inf"]] = Field(default_factory=list)
    """Upper limits (exclusive) of the bins; `inf` catches the rest; [] turns histograms off."""


class StatsdSettings(_Section):
    host: str = "127.0.0.1"
    port: int = Field(8125, ge=0, le=65535)
    flush_interval: float = Field(10.0, gt=0)
    """Seconds between flushes (Etsy's flushInterval is in ms; this is seconds)."""
    receive_buffer: int = parse_size("8mb")
    """SO_RCVBUF asked for on the UDP socket (the kernel caps it at 2 x net.core.rmem_max)."""
    admin_host: str = "127.0.0.1"
    admin_port: int | None = Field(8126, ge=0, le=65535)
    """TCP admin interface (Etsy's mgmt_port); none turns it off."""
    percentiles: list[float] = Field(default_factory=lambda: [90.0])
    """Etsy's percentThreshold; a negative value means the top N percent."""
    histograms: list[TimerHistogram] = Field(default_factory=list)
    """Etsy's histogram option: per-timer bins."""
    legacy_namespace: bool = True
    flush_counts: bool = True
    """Also send the raw count of each counter (`stats_counts.X`), not only the rate."""
    global_prefix: str = "stats"
    """Non-legacy namespace only, as in Etsy."""
    prefix_counter: str = "counters"
    prefix_timer: str = "timers"
    prefix_gauge: str = "gauges"
    prefix_set: str = "sets"
    prefix_stats: str = "statsd"
    """Name of the server's own metrics (`statsd.bad_lines_seen`, ...)."""
    global_suffix: str = ""
    delete_idle_stats: bool = False
    """Sets delete_counters/timers/gauges/sets together (each can be overridden)."""
    delete_counters: bool | None = None
    delete_timers: bool | None = None
    delete_gauges: bool | None = None
    delete_sets: bool | None = None
    gauges_max_ttl: int = Field(1, ge=1)
    """With delete_gauges: flushes a gauge is kept without updates."""
    graphite_tags: Literal["tagged", "values", "key_value", "by_key", "drop"] = "tagged"
    """DogStatsD tags in Graphite paths: `;k=v` (Etsy), `.v` (StatsLib), `.k.v`, `.byK.v`, or
    dropped."""
    series_store: bool = True
    """Also write each flush into the embedded series store (whisper)."""
    health: Literal["up", "down"] = "up"
    """Initial answer of the admin `health` command (Etsy's healthStatus)."""

    @field_validator("receive_buffer", mode="before")
    @classmethod
    def _size(cls, value: Any) -> int:
        return parse_size(value)


class PrometheusMapping(_Section):
    match: str
    """Glob (`*` = one dot-separated part) or, with match_type regex, a regular expression."""
    match_type: Literal["glob", "regex"] = "glob"
    match_metric_type: Literal["counter", "gauge", "observer"] | None = None
    name: str = ""
    """Metric name; `$1`, `${1}` refer to captures. Required unless action is drop."""
    labels: dict[str, str] = Field(default_factory=dict)
    action: Literal["map", "drop"] = "map"
    buckets: list[float] | None = None
    """Histogram buckets (seconds for ms timers) for this metric."""


class PrometheusSettings(_Section):
    host: str = "127.0.0.1"
    port: int | None = Field(None, ge=0, le=65535)
    """Port of the /metrics endpoint of `serve statsd`; none means off."""
    buckets: list[float] = Field(
        default_factory=lambda: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
    )
    """Default histogram buckets for timers (observed in seconds) and h/d samples."""
    mappings: list[PrometheusMapping] = Field(default_factory=list)


class GraphiteSettings(_Section):
    host: str | None = None
    """Carbon plaintext receiver to send metrics to; none means off."""
    port: int = Field(2003, ge=0, le=65535)
    max_buffer: int = Field(1_000_000, ge=1)
    """Points kept while carbon is down; older ones are dropped and counted."""


class CarbonSettings(_Section):
    host: str = "127.0.0.1"
    port: int = Field(2003, ge=0, le=65535)
    write_interval: float = Field(1.0, gt=0)
    """Seconds between writes of received points into the series store."""


class SeriesSchema(_Section):
    name: str
    pattern: str
    """Regular expression searched in the metric path (carbon's storage-schemas.conf)."""
    retentions: str
    """`precision:duration,...`, e.g. `10s:6h,1m:7d,10m:5y`."""


class SeriesAggregation(_Section):
    name: str
    pattern: str
    method: Literal["average", "sum", "min", "max", "last", "avg_zero", "absmax", "absmin"]
    x_files_factor: float = Field(0.0, ge=0, le=1)


class SeriesSettings(_Section):
    schemas: list[SeriesSchema] = Field(
        default_factory=lambda: [
            SeriesSchema(name="carbon", pattern=r"^carbon\.", retentions="1m:90d"),
            SeriesSchema(
                name="statsd",
                pattern=r"^(stats|stats_counts|statsd)\.",
                retentions="10s:6h,1m:7d,10m:5y",
            ),
            SeriesSchema(name="default", pattern=".*", retentions="10m:30d,1h:2y,1d:20y"),
        ]
    )
    """First match wins (carbon's storage-schemas.conf); used when a file is created."""
    aggregation: list[SeriesAggregation] = Field(
        default_factory=lambda: [
            SeriesAggregation(name="min", pattern=r"\.lower(_\d+)?$", method="min"),
            SeriesAggregation(name="max", pattern=r"\.upper(_\d+)?$", method="max"),
            SeriesAggregation(name="sum", pattern=r"\.sum(_\d+)?$", method="sum"),
            SeriesAggregation(name="count", pattern=r"\.count(_\d+)?$", method="sum"),
            SeriesAggregation(name="counts", pattern=r"^stats_counts\.", method="sum"),
            SeriesAggregation(name="default", pattern=".*", method="average"),
        ]
    )
    """First match wins (carbon's storage-aggregation.conf)."""


class UiSettings(_Section):
    host: str = "127.0.0.1"
    port: int = Field(8080, ge=0, le=65535)


class ReportDatabaseSettings(_Section):
    """Where `sql` reports connect; overrides a query folder's `databases:` entry."""

    host: str | None = None
    port: int | None = Field(None, ge=0, le=65535)
    user: str | None = None
    password: str | None = None
    database: str | None = None
    """Database name; default: the exploded `wiki_db_placeholder` value or the entry's `db`."""


class AggregateSettings(_Section):
    engine: str = Field("duckdb", pattern="^(duckdb|spark)$")
    """Engine for `hive` reports and the `hive` shim of scripts."""
    jobs: int = Field(1, ge=1)
    """Intervals and reports computed in parallel (`reports run -j`)."""
    timeout: float | None = Field(None, gt=0)
    """Default seconds one interval may run (a report's `timeout:` wins)."""
    databases: dict[str, ReportDatabaseSettings] = Field(default_factory=dict)
    """Per `databases:` key of report configs (or `default` for all): host, port, credentials."""


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
    prometheus: PrometheusSettings = PrometheusSettings()
    series: SeriesSettings = SeriesSettings()
    ui: UiSettings = UiSettings()
    reports: str = "reports"
    """Folder of ReportUpdater query folders."""
    metrics: str = "metrics"
    """Folder of metric specs."""
    dashboards: str = "dashboards"
    """Where `dashboards build` writes Grafana JSON by default."""
    aggregate: AggregateSettings = AggregateSettings()
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
