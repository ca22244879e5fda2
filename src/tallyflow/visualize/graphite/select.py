"""Render functions that name, order and pick series, and constantLine.

Input: a series list and the call's arguments. Output: the same series renamed (`alias`,
`aliasByNode`, `aliasSub`, `aliasByMetric`), reordered (`sortByName`, `sortBy`) or filtered
(`highest*`/`lowest*`, `limit`, `exclude`, `grep`, `removeEmptySeries`), as graphite-web
does. An alias changes the name only: the expression a later aggregate names stays.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

from tallyflow.errors import QueryError
from tallyflow.visualize.graphite.registry import Context, Kind, Param, SeriesList, register, series
from tallyflow.visualize.graphite.series import Series, aggregation, node_key, xff_ok


@register("alias", params=(series(), Param("newName", Kind.STRING, required=True)))
def alias(ctx: Context, series_list: SeriesList, new_name: str) -> SeriesList:
    return [s.renamed(new_name, keep_expression=True) for s in series_list]


@register("aliasByNode", params=(series(), Param("nodes", Kind.NODE, required=True, multiple=True)))
def alias_by_node(ctx: Context, series_list: SeriesList, *nodes: int | str) -> SeriesList:
    return [s.renamed(node_key(s, nodes), keep_expression=True) for s in series_list]


@register("aliasByMetric", params=(series(),))
def alias_by_metric(ctx: Context, series_list: SeriesList) -> SeriesList:
    result = []
    for s in series_list:
        inner = s.name[s.name.rfind("(") + 1 :]
        inner = inner[: inner.find(")")] if ")" in inner else inner
        name = re.sub(",.*$", "", inner.split(".")[-1])
        result.append(s.renamed(name, keep_expression=True))
    return result


def _regex(function: str, pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as error:
        raise QueryError(f"{function}: bad regular expression {pattern!r}: {error}") from None


@register(
    "aliasSub",
    params=(
        series(),
        Param("search", Kind.STRING, required=True),
        Param("replace", Kind.STRING, required=True),
    ),
)
def alias_sub(ctx: Context, series_list: SeriesList, search: str, replace: str) -> SeriesList:
    regex = _regex("aliasSub", search)
    try:
        return [s.renamed(regex.sub(replace, s.name), keep_expression=True) for s in series_list]
    except re.error as error:
        raise QueryError(f"aliasSub: bad replacement {replace!r}: {error}") from None


def _natural(name: str) -> str:
    return re.sub(r"\d+", lambda m: f"{int(m.group()):010}", name)


@register(
    "sortByName",
    params=(series(), Param("natural", Kind.BOOL), Param("reverse", Kind.BOOL)),
)
def sort_by_name(
    ctx: Context, series_list: SeriesList, natural: bool = False, reverse: bool = False
) -> SeriesList:
    key: Callable[[Series], str] = (lambda s: _natural(s.name)) if natural else (lambda s: s.name)
    return sorted(series_list, key=key, reverse=reverse)


def _score(func: str) -> Callable[[Series], float]:
    """A series' aggregated value for ordering; no value counts as -inf (graphite's keyFunc)."""
    merge = aggregation(func)

    def score(s: Series) -> float:
        value = merge(s.values)
        return -math.inf if value is None else value

    return score


@register("sortBy", params=(series(), Param("func", Kind.AGG), Param("reverse", Kind.BOOL)))
def sort_by(
    ctx: Context, series_list: SeriesList, func: str = "average", reverse: bool = False
) -> SeriesList:
    return sorted(series_list, key=_score(func), reverse=reverse)


@register("highest", params=(series(), Param("n", Kind.INT), Param("func", Kind.AGG)))
def highest(ctx: Context, series_list: SeriesList, n: int = 1, func: str = "average") -> SeriesList:
    return sorted(series_list, key=_score(func), reverse=True)[:n]


@register("lowest", params=(series(), Param("n", Kind.INT), Param("func", Kind.AGG)))
def lowest(ctx: Context, series_list: SeriesList, n: int = 1, func: str = "average") -> SeriesList:
    return sorted(series_list, key=_score(func))[:n]


def _pick(name: str, pick: Callable[..., SeriesList], func: str) -> None:
    def impl(ctx: Context, series_list: SeriesList, n: int) -> SeriesList:
        return pick(ctx, series_list, n, func)

    register(name, params=(series(), Param("n", Kind.INT, required=True)))(impl)


_pick("highestAverage", highest, "average")
_pick("highestMax", highest, "max")
_pick("highestCurrent", highest, "current")
_pick("lowestAverage", lowest, "average")
_pick("lowestCurrent", lowest, "current")


@register("limit", params=(series(), Param("n", Kind.INT, required=True)))
def limit(ctx: Context, series_list: SeriesList, n: int) -> SeriesList:
    return series_list[:n]


@register("exclude", params=(series(), Param("pattern", Kind.STRING, required=True)))
def exclude(ctx: Context, series_list: SeriesList, pattern: str) -> SeriesList:
    regex = _regex("exclude", pattern)
    return [s for s in series_list if not regex.search(s.name)]


@register("grep", params=(series(), Param("pattern", Kind.STRING, required=True)))
def grep(ctx: Context, series_list: SeriesList, pattern: str) -> SeriesList:
    regex = _regex("grep", pattern)
    return [s for s in series_list if regex.search(s.name)]


@register("removeEmptySeries", params=(series(), Param("xFilesFactor", Kind.FLOAT)))
def remove_empty_series(
    ctx: Context, series_list: SeriesList, xfiles_factor: float = 0.0
) -> SeriesList:
    def kept(s: Series) -> bool:
        non_null = sum(1 for v in s.values if v is not None)
        return xff_ok(non_null, len(s.values), xfiles_factor or 0.0)

    return [s for s in series_list if kept(s)]


@register("constantLine", params=(Param("value", Kind.FLOAT, required=True),))
def constant_line(ctx: Context, value: float) -> SeriesList:
    """Three points across the range (what Grafana's "Save & test" asks for)."""
    step = max(1, (ctx.end - ctx.start) // 2)
    text = str(float(value))
    line = Series(text, ctx.start, ctx.end, step, (value, value, value), f"constantLine({text})")
    return [line]
