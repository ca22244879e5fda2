"""Closed-loop checks of visualization: generated dashboards are up to date with their specs,
none is left from a removed spec, and every panel target reads a declared metric.

Input: a `Context` (specs and the project's `dashboards/` folder). Output: `Finding`s naming the
dashboard file and line and the fix.
"""

from __future__ import annotations

import fnmatch
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tallyflow.spec.findings import Finding
from tallyflow.spec.models import PLACEHOLDER
from tallyflow.visualize.grafana import (
    Datasource,
    dashboard_filename,
    dashboard_json,
    prometheus_name,
)

if TYPE_CHECKING:
    from tallyflow.spec.crosscheck import Context

_SERIES = re.compile(r"[A-Za-z0-9_$*\-{}\[\]]+(?:\.[A-Za-z0-9_$*\-{},\[\]]+)+")
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
_PROM_NAME = re.compile(r"\(\s*([A-Za-z_:][A-Za-z0-9_:]*)\s*[{)]")
_PROM_GROUPING = re.compile(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")


def _dashboard_files(ctx: Context) -> list[Path]:
    folder = ctx.project.path(ctx.project.settings.dashboards)
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


def _source_of(data: dict[str, Any]) -> Datasource:
    names = {v.get("name") for v in (data.get("templating") or {}).get("list", [])}
    return "prometheus" if "prometheus_ds" in names else "graphite"


def check_dashboards_current(ctx: Context) -> list[Finding]:
    """Every spec has its generated dashboard, equal to what `dashboards build` writes now;
    no generated dashboard is left from a removed spec."""
    folder = ctx.project.path(ctx.project.settings.dashboards)
    found = []
    expected = {dashboard_filename(sf): sf for sf in ctx.specs}
    if not folder.is_dir():
        return [
            Finding(
                "dashboard-missing",
                str(folder),
                "no dashboards have been built",
                f"run `tallyflow dashboards build -p {ctx.project.root}`",
                severity="warning",
            )
        ]
    for name, sf in expected.items():
        path = folder / name
        if not path.is_file():
            found.append(
                Finding(
                    "dashboard-missing",
                    str(path),
                    f"no dashboard for {sf.path.name}",
                    f"run `tallyflow dashboards build -p {ctx.project.root}`",
                )
            )
            continue
        text = path.read_text(encoding="utf-8")
        try:
            source = _source_of(json.loads(text))
        except json.JSONDecodeError as error:
            found.append(
                Finding(
                    "dashboard-stale",
                    f"{path}:{error.lineno}",
                    f"not valid JSON: {error.msg}",
                    "rebuild it with `tallyflow dashboards build`",
                )
            )
            continue
        generated = dashboard_json(sf, source)
        if text != generated:
            line = next(
                (
                    n
                    for n, (a, b) in enumerate(
                        zip(text.splitlines(), generated.splitlines(), strict=False), 1
                    )
                    if a != b
                ),
                min(len(text.splitlines()), len(generated.splitlines())) + 1,
            )
            found.append(
                Finding(
                    "dashboard-stale",
                    f"{path}:{line}",
                    f"dashboard differs from what {sf.path.name} generates",
                    f"run `tallyflow dashboards build -p {ctx.project.root}` (edit the spec, "
                    "not the dashboard)",
                )
            )
    for path in _dashboard_files(ctx):
        if path.name in expected:
            continue
        try:
            uid = json.loads(path.read_text(encoding="utf-8")).get("uid", "")
        except (json.JSONDecodeError, AttributeError):
            continue
        if isinstance(uid, str) and uid.startswith("tallyflow-"):
            found.append(
                Finding(
                    "dashboard-stale",
                    str(path),
                    f"generated dashboard {uid} has no spec any more",
                    "delete it (and remove it from Grafana), or restore its spec",
                )
            )
    return found


def _segments_match(pattern: str, template: str) -> bool:
    """A Graphite target series (globs, `$var`, `{a,b}`) against a spec path template."""
    left, right = pattern.split("."), template.split(".")
    if len(left) != len(right):
        return False
    for have, want in zip(left, right, strict=True):
        if PLACEHOLDER.fullmatch(want):
            continue
        glob = re.sub(r"\$\w+", "*", have)
        if "{" in glob:
            options = glob[glob.index("{") + 1 : glob.rindex("}")].split(",")
            if not any(fnmatch.fnmatchcase(want, option) for option in options):
                return False
        elif not fnmatch.fnmatchcase(want, glob):
            return False
    return True


def _targets(data: dict[str, Any]) -> Iterator[tuple[str, str, str]]:
    """(panel title, kind, expression) of every target."""
    for panel in data.get("panels") or []:
        for target in panel.get("targets") or []:
            if isinstance(target.get("target"), str):
                yield panel.get("title", "?"), "target", target["target"]
            elif isinstance(target.get("expr"), str):
                yield panel.get("title", "?"), "expr", target["expr"]


def check_dashboard_targets(ctx: Context) -> list[Finding]:
    """Every dashboard panel's target reads a metric some spec declares."""
    paths = [m.path for sf in ctx.specs for m in sf.spec.metrics]
    names = {prometheus_name(m) for sf in ctx.specs for m in sf.spec.metrics}
    found = []
    for path in _dashboard_files(ctx):
        text = path.read_text(encoding="utf-8")
        try:
            data = json.loads(text)
        except json.JSONDecodeError:
            continue
        for title, kind, expr in _targets(data if isinstance(data, dict) else {}):
            encoded = json.dumps(expr, ensure_ascii=False)
            line = text[: max(0, text.find(encoded))].count("\n") + 1
            if kind == "target":
                unknown = [
                    s
                    for s in _SERIES.findall(_QUOTED.sub("", expr))
                    if not any(_segments_match(s, p) for p in paths)
                ]
            else:
                bare = _PROM_GROUPING.sub("", _QUOTED.sub('""', expr))
                unknown = [n for n in _PROM_NAME.findall(bare) if n not in names]
            for series in unknown:
                found.append(
                    Finding(
                        "dashboard-target",
                        f"{path}:{line}",
                        f"panel '{title}' reads {series}, which no spec declares",
                        "declare the metric in a spec (metrics[].path) and rebuild, or fix the "
                        "target",
                    )
                )
    return found
