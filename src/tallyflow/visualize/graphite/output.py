"""graphite-web's JSON shapes: `/render?format=json`, `/metrics/find` (treejson) and
`/metrics/expand`.

Input: series from `evaluate.render`, nodes from `finder.find`. Output: JSON-ready lists and
dicts. `maxDataPoints` consolidates each series, as graphite-web does, into at most that many
points, with buckets starting at a multiple of their width so that refreshes do not shift them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from typing import Any
from urllib.parse import unquote_plus

from tallyflow.visualize.graphite.finder import Node
from tallyflow.visualize.graphite.series import Series, Value


def _fit(series: Series, time_range: int, max_points: int) -> Series:
    """The series consolidated to at most `max_points` points over `time_range` seconds."""
    if max_points == 1:
        return series.consolidated(len(series.values))
    if max_points >= time_range / series.step:
        return series
    per_point = math.ceil(time_range / series.step / max_points)
    width = per_point * series.step
    nudge = -series.start % width
    drop = nudge // series.step
    aligned = replace(series, start=series.start + nudge, values=series.values[drop:])
    return aligned.consolidated(per_point)


def _json_value(value: Value) -> Value:
    return value if value is None or math.isfinite(value) else None


def render_json(
    series: Sequence[Series], max_data_points: int | None = None, *, no_null_points: bool = False
) -> list[dict[str, Any]]:
    """`[{"target": name, "tags": {"name": name}, "datapoints": [[value, ts], ...]}, ...]`."""
    if not series:
        return []
    time_range = max(s.end for s in series) - min(s.start for s in series)
    result = []
    for one in series:
        if max_data_points:
            one = _fit(one, time_range, max_data_points)
        points = [[_json_value(v), t] for v, t in zip(one.values, one.timestamps(), strict=True)]
        if no_null_points:
            points = [p for p in points if p[0] is not None]
            if not points:
                continue
        result.append({"target": one.name, "tags": {"name": one.name}, "datapoints": points})
    return result


BRANCH = {"allowChildren": 1, "expandable": 1, "leaf": 0}
LEAF = {"allowChildren": 0, "expandable": 0, "leaf": 1}


def find_json(nodes: Sequence[Node], query: str | None = None) -> list[dict[str, Any]]:
    """graphite-web's treejson: `{text, id, leaf, expandable, allowChildren}` per distinct
    name, branches first. `id` is the query's part before its last node plus the name (the
    node's path when no query is given)."""
    base = query.rsplit(".", 1)[0] + "." if query and "." in query else ""
    seen: set[str] = set()
    branches: list[dict[str, Any]] = []
    leaves: list[dict[str, Any]] = []
    for node in sorted(nodes, key=lambda n: n.name):
        if node.name in seen:
            continue
        seen.add(node.name)
        entry = {"text": unquote_plus(node.name), "id": base + node.name if query else node.path}
        if node.is_leaf:
            leaves.append({**entry, **LEAF})
        else:
            branches.append({**entry, **BRANCH})
    return branches + leaves


def expand_json(expanded: dict[str, list[str]], group_by_expr: bool = False) -> dict[str, Any]:
    """`{"results": [...]}` (all paths, sorted) or, grouped, `{"results": {query: [...]}}`."""
    if group_by_expr:
        return {"results": expanded}
    return {"results": sorted({path for paths in expanded.values() for path in paths})}
