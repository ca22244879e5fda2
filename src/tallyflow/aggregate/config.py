"""ReportUpdater config.yaml reading (aggregate stage: a query folder in, `Report`s out).

Every key of the reference is accepted with its default and its validation (reference §1):
`reports`, `defaults`, `databases`, `graphite` at the top; `type`, `granularity`, `starts`,
`lag`, `execute`, `db`, `explode_by`, `max_data_points`, `graphite`, `group` and the no-op
`funnel` per report. Unknown keys are errors with a did-you-mean, instead of being silently
ignored. A problem in one report fails that report only; problems in the top level fail the run
(ConfigError, exit 2).

tallyflow adds optional per-report keys (`ends`, `timeout`, `write_empty`,
`accept_failed_exit`) and a top-level `compat` section for the reference's quirks.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
import string
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictInt,
    StrictStr,
    ValidationError,
    field_validator,
)

from tallyflow.errors import ConfigError, ReportError
from tallyflow.project import describe_validation_error
from tallyflow.yamlfile import Locations, load_yaml

ReportType = Literal["sql", "hive", "script"]
Granularity = Literal["days", "weeks", "months"]
TEMPLATE_EXTENSIONS = {"sql": ".sql", "hive": ".hql", "script": ""}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GraphiteMapping(_Model):
    path: StrictStr
    """str.format template of the metric name; `{_metric}` is the key of `metrics`."""
    metrics: dict[str, StrictStr]
    """metric name -> result column holding its value."""


class ReportSpec(_Model):
    """One report's keys after `defaults` are applied."""

    type: ReportType = "sql"
    granularity: Granularity
    starts: dt.date
    lag: StrictInt = Field(0, ge=0)
    """Seconds after an interval's end before it is computed."""
    execute: StrictStr | None = None
    db: StrictStr | None = None
    explode_by: dict[str, StrictStr | list[StrictStr]] = Field(default_factory=dict)
    max_data_points: StrictInt | None = Field(None, ge=1)
    graphite: GraphiteMapping | None = None
    group: StrictStr | None = None
    funnel: Any = None
    """Removed from ReportUpdater in 2021; accepted and ignored."""
    ends: dt.date | None = None
    """No interval starting on or after this date is computed (tallyflow)."""
    timeout: float | None = Field(None, gt=0)
    """Seconds one interval may run before it is stopped and counted as failed (tallyflow)."""
    write_empty: bool = False
    """Write ReportUpdater's placeholder row for an empty result (never retried)."""
    accept_failed_exit: bool = False
    """Keep the output of a script/hive command that exited non-zero (ReportUpdater does)."""

    @field_validator("starts", "ends", mode="before")
    @classmethod
    def _date(cls, value: Any) -> Any:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, str):
            try:
                return dt.datetime.strptime(value, "%Y-%m-%d").date()
            except ValueError:
                raise ValueError("must be a date written YYYY-MM-DD") from None
        if not isinstance(value, dt.date):
            raise ValueError("must be a date written YYYY-MM-DD")
        return value


class DatabaseSpec(_Model):
    """`databases.<key>`: how ReportUpdater reaches MySQL (profiles may override it)."""

    host: StrictStr | None = None
    port: StrictInt | None = None
    creds_file: StrictStr | None = None
    db: StrictStr | None = None
    auto_find_db_shard: Any = None
    wiki_db_placeholder: StrictStr | None = None
    use_x1: bool = False
    mw_config_path: StrictStr | None = None


class GraphiteSpec(_Model):
    host: StrictStr
    port: StrictInt
    lookups: dict[str, StrictStr] = Field(default_factory=dict)
    sanitize: bool = False
    """Replace characters outside [A-Za-z0-9_.=-] in metric names with `_` (tallyflow)."""


class CompatSpec(_Model):
    """Switches back to the reference's quirks (tallyflow)."""

    line_endings: Literal["lf", "crlf"] = "lf"
    graphite_timestamps: Literal["utc", "local"] = "utc"


class FolderSpec(_Model):
    reports: dict[str, Any]
    defaults: dict[str, Any] = Field(default_factory=dict)
    databases: dict[str, DatabaseSpec] = Field(default_factory=dict)
    graphite: GraphiteSpec | None = None
    compat: CompatSpec = CompatSpec()


@dataclass(frozen=True, eq=False)
class Report:
    """A report ready to schedule: its spec, its template text or script path, explode values."""

    key: str
    spec: ReportSpec
    template: str | None
    script: Path | None
    explode: dict[str, list[str]]

    @property
    def type(self) -> ReportType:
        return self.spec.type


@dataclass
class QueryFolder:
    """Everything read from one config file: valid reports and per-report errors."""

    folder: Path
    config_path: Path
    spec: FolderSpec
    reports: list[Report] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    lookups: dict[str, dict[str, str]] = field(default_factory=dict)


def read_explode_values(raw: str | list[str], folder: Path) -> list[str] | None:
    """ReportUpdater's explode_by value syntax (reference §1.5), plus YAML lists.

    `a, b` is an inline list; a single value naming a file under `folder` reads one value per
    line (None if the file is empty: the placeholder is dropped); any other single value is
    itself the only value.
    """
    if isinstance(raw, list):
        return [str(item).strip() for item in raw]
    parts = [part.strip() for part in raw.split(",")]
    if len(parts) > 1:
        return parts
    candidate = folder / parts[0]
    if parts[0] and candidate.is_file():
        lines = candidate.read_text(encoding="utf-8").splitlines()
        while lines and not lines[-1].strip():
            lines.pop()
        return [line.strip() for line in lines] or None
    return parts


BUILTIN_PLACEHOLDERS = {
    "sql": ("from_timestamp", "to_timestamp"),
    "hive": ("from_date", "to_date", "year", "month", "day"),
}
_BRACE_HINT = "write a literal brace as {{ or }} (for example '[0-9]{{4}}')"


def check_placeholders(template: str, path: Path, known: Collection[str]) -> None:
    """Fail up front (once, not per interval) on placeholders `str.format` cannot fill."""
    try:
        fields = [
            field for _, field, _, _ in string.Formatter().parse(template) if field is not None
        ]
    except ValueError as error:
        raise ReportError(
            f"{path}: not a valid str.format template: {error}", hint=_BRACE_HINT
        ) from None
    for placeholder in fields:
        name = re.split(r"[.\[]", placeholder, maxsplit=1)[0]
        if name not in known:
            listed = ", ".join("{" + k + "}" for k in sorted(known))
            what = (
                "a positional placeholder" if not name or name.isdigit() else "unknown placeholder"
            )
            raise ReportError(
                f"{path}: {what} {{{placeholder}}} (known: {listed})", hint=_BRACE_HINT
            )


def _build_report(key: str, spec: ReportSpec, folder: Path) -> Report:
    name = spec.execute or key
    path = folder / (name + TEMPLATE_EXTENSIONS[spec.type])
    template: str | None = None
    script: Path | None = None
    if spec.type == "script":
        if not path.is_file():
            raise ReportError(f"script {path} does not exist", hint="check `execute:`")
        if not os.access(path, os.X_OK):
            raise ReportError(
                f"script {path} is not executable",
                hint=f"run `chmod +x {path}` (and give it a shebang line such as #!/bin/bash)",
            )
        script = path
    else:
        try:
            template = path.read_text(encoding="utf-8")
        except OSError as error:
            hint = "`execute:` names the file without its extension"
            raise ReportError(f"could not read the template {path}: {error}", hint=hint) from None
    explode: dict[str, list[str]] = {}
    for placeholder, raw in spec.explode_by.items():
        values = read_explode_values(raw, folder)
        if values is not None:
            explode[placeholder] = values
    if template is not None:
        check_placeholders(template, path, [*BUILTIN_PLACEHOLDERS[spec.type], *spec.explode_by])
    if spec.type == "sql" and spec.db is None:
        raise ReportError("an sql report needs `db:` naming an entry of `databases:`")
    return Report(key=key, spec=spec, template=template, script=script, explode=explode)


def _report_error(
    key: str, error: ValidationError, locations: Locations, merged: dict[str, Any]
) -> str:
    text = describe_validation_error(error, ReportSpec, locations, ("reports", key))
    if "granularity" not in merged or "starts" not in merged:
        missing = [k for k in ("granularity", "starts") if k not in merged]
        text += f"\n(set {' and '.join(missing)} in the report or in `defaults:`)"
    return text


def read_query_folder(
    folder: Path, config_path: Path | None = None, profile_databases: Collection[str] = ()
) -> QueryFolder:
    """Read `<folder>/config.yaml` (or `config_path`) and every report it declares.

    `profile_databases` are `db` keys configured in tallyflow.yaml (`default` stands for all),
    which an `sql` report may name without a `databases:` entry.
    """
    config_path = config_path or folder / "config.yaml"
    data, locations = load_yaml(config_path)
    if not isinstance(data, dict):
        raise ConfigError(f"{config_path}: expected a mapping with a `reports:` key")
    if not isinstance(data.get("reports"), dict):
        raise ConfigError(
            f"{locations.where(('reports',))}: `reports` must be a mapping of report name -> keys",
            hint="see docs/reports.md",
        )
    try:
        spec = FolderSpec.model_validate(data)
    except ValidationError as error:
        raise ConfigError(
            describe_validation_error(error, FolderSpec, locations),
            hint="see docs/reports.md for every key",
        ) from None
    for key in spec.defaults:
        if key not in ReportSpec.model_fields:
            close = difflib.get_close_matches(str(key), list(ReportSpec.model_fields), n=1)
            raise ConfigError(
                f"{locations.where(('defaults', key))}: unknown key 'defaults.{key}'"
                + (f"; did you mean '{close[0]}'?" if close else ""),
                hint="`defaults:` holds report keys (type, granularity, lag, db, ...)",
            )
    result = QueryFolder(folder=folder, config_path=config_path, spec=spec)
    if spec.graphite:
        for placeholder, name in spec.graphite.lookups.items():
            lookup, _ = load_yaml(folder / name)
            if not isinstance(lookup, dict):
                raise ConfigError(f"{folder / name}: a Graphite lookup must be a mapping")
            result.lookups[placeholder] = {str(k): str(v) for k, v in lookup.items()}
    for key, raw in spec.reports.items():
        if not isinstance(key, str):
            result.errors[str(key)] = f"{locations.where(('reports',))}: report keys are strings"
            continue
        if not isinstance(raw, dict):
            where = locations.where(("reports", key))
            result.errors[key] = f"{where}: a report is a mapping of keys (check indentation)"
            continue
        merged = {**spec.defaults, **raw}
        try:
            report_spec = ReportSpec.model_validate(merged)
            known = set(spec.databases) | set(profile_databases)
            if report_spec.type == "sql" and report_spec.db not in known:
                if report_spec.db is not None and "default" not in known:
                    raise ReportError(
                        f"`db: {report_spec.db}` names no entry of `databases:` "
                        f"(known: {', '.join(spec.databases) or 'none'})"
                    )
            result.reports.append(_build_report(key, report_spec, folder))
        except ValidationError as error:
            result.errors[key] = _report_error(key, error, locations, merged)
        except ReportError as error:
            hint = f" ({error.hint})" if error.hint else ""
            result.errors[key] = f"{locations.where(('reports', key))}: {error.message}{hint}"
    return result
