"""Render functions that combine series: aggregates, grouping, ratios and percentages.

Input: series lists (already fetched or computed). Output: new series named as graphite-web
names them (`sumSeries(<path expressions>)`, the group key for groupByNodes,
`divideSeries(a,b)`, `asPercent(a,b)`). Series of different steps are consolidated to their
least common step first; None is skipped by aggregates (all None gives None), and a ratio
with a None or zero divisor is None.
"""

from __future__ import annotations

from collections.abc import Sequence

from tallyflow.errors import QueryError
from tallyflow.visualize.graphite.registry import (
    FUNCTIONS,
    Context,
    Kind,
    Param,
    SeriesList,
    register,
    series,
)
from tallyflow.visualize.graphite.series import (
    Series,
    Value,
    aggregation,
    combined,
    node_key,
    normalize,
    path_expressions,
    rows,
    safe_div,
    safe_sum,
    xff_ok,
)


def _aggregate(
    ctx: Context, lists: Sequence[SeriesList], func: str, xfiles_factor: float | None = None
) -> SeriesList:
    flat = [s for group in lists for s in group]
    if not flat:
        return []
    agg = aggregation(func)
    xff = ctx.xfiles_factor if xfiles_factor is None else xfiles_factor
    base = func[: -len("Series")] if func.endswith("Series") else func
    name = f"{base}Series({path_expressions(flat)})"

    def value(row: tuple[Value, ...]) -> Value:
        non_null = sum(1 for v in row if v is not None)
        return agg(row) if xff_ok(non_null, len(row), xff) else None

    return [combined(name, flat, value, xff)]


@register(
    "aggregate",
    params=(series(), Param("func", Kind.AGG, required=True), Param("xFilesFactor", Kind.FLOAT)),
)
def aggregate(
    ctx: Context, series_list: SeriesList, func: str, xfiles_factor: float | None = None
) -> SeriesList:
    return _aggregate(ctx, [series_list], func, xfiles_factor)


def _aggregator(func: str, *names: str) -> None:
    def impl(ctx: Context, *lists: SeriesList) -> SeriesList:
        return _aggregate(ctx, lists, func)

    register(*names, params=(series("seriesLists", multiple=True),), aggregator=True)(impl)


_aggregator("sum", "sumSeries", "sum")
_aggregator("average", "averageSeries", "avg")
_aggregator("min", "minSeries")
_aggregator("max", "maxSeries")
_aggregator("diff", "diffSeries")
_aggregator("multiply", "multiplySeries")
_aggregator("stddev", "stddevSeries")
_aggregator("rangeOf", "rangeOfSeries")


@register("group", params=(Param("seriesLists", Kind.SERIES, multiple=True),))
def group(ctx: Context, *lists: SeriesList) -> SeriesList:
    return [s for series_list in lists for s in series_list]


def _groups(series_list: SeriesList, nodes: Sequence[int | str]) -> dict[str, SeriesList]:
    grouped: dict[str, SeriesList] = {}
    for s in series_list:
        grouped.setdefault(node_key(s, nodes), []).append(s)
    return grouped


@register(
    "groupByNodes",
    params=(
        series(),
        Param("callback", Kind.AGG_OR_FUNCTION, required=True),
        Param("nodes", Kind.NODE, multiple=True),
    ),
)
def group_by_nodes(
    ctx: Context, series_list: SeriesList, callback: str, *nodes: int | str
) -> SeriesList:
    result = []
    for key, members in _groups(series_list, nodes).items():
        function = FUNCTIONS.get(callback)
        if function is not None and function.aggregator:
            combined_series = function.impl(ctx, members)[0]
        else:
            combined_series = _aggregate(ctx, [members], callback)[0]
        result.append(combined_series.renamed(key, keep_expression=True))
    return result


@register(
    "groupByNode",
    params=(
        series(),
        Param("nodeNum", Kind.NODE, required=True),
        Param("callback", Kind.AGG_OR_FUNCTION),
    ),
)
def group_by_node(
    ctx: Context, series_list: SeriesList, node: int | str, callback: str = "average"
) -> SeriesList:
    return group_by_nodes(ctx, series_list, callback, node)


def _divide(ctx: Context, dividend: Series, divisor: Series) -> Series:
    name = f"divideSeries({dividend.name},{divisor.name})"
    return combined(
        name, [dividend, divisor], lambda row: safe_div(row[0], row[1]), ctx.xfiles_factor
    )


@register("divideSeries", params=(series("dividendSeriesList"), series("divisorSeries")))
def divide_series(ctx: Context, dividends: SeriesList, divisor: SeriesList) -> SeriesList:
    if not divisor:
        return [
            s.with_values((None for _ in s.values), f"divideSeries({s.name},MISSING)")
            for s in dividends
        ]
    if len(divisor) > 1:
        raise QueryError(
            f"divideSeries: the divisor must be exactly one series, got {len(divisor)}",
            hint="wrap it in sumSeries(...), or use divideSeriesLists for pairs",
        )
    return [_divide(ctx, s, divisor[0]) for s in dividends]


@register("divideSeriesLists", params=(series("dividendSeriesList"), series("divisorSeriesList")))
def divide_series_lists(ctx: Context, dividends: SeriesList, divisors: SeriesList) -> SeriesList:
    if len(dividends) != len(divisors):
        raise QueryError(
            f"divideSeriesLists: {len(dividends)} dividends but {len(divisors)} divisors",
            hint="both lists must hold the same number of series, paired in order",
        )
    return [_divide(ctx, a, b) for a, b in zip(dividends, divisors, strict=True)]


def _percent(value: Value, total: Value) -> Value:
    ratio = safe_div(value, total)
    return None if ratio is None else ratio * 100.0


def _percent_pair(ctx: Context, part: Series, whole: Series) -> Series:
    name = f"asPercent({part.name},{whole.name})"
    return combined(name, [part, whole], lambda row: _percent(row[0], row[1]), ctx.xfiles_factor)


def _sum_group(ctx: Context, members: SeriesList) -> Series:
    if len(members) == 1:
        return members[0]
    name = f"sumSeries({path_expressions(members)})"
    return combined(name, members, safe_sum, ctx.xfiles_factor)


def _missing(name: str, like: Series) -> Series:
    return like.with_values((None for _ in like.values), name)


def _percent_by_nodes(
    ctx: Context, series_list: SeriesList, total: SeriesList | None, nodes: Sequence[int | str]
) -> SeriesList:
    parts = _groups(series_list, nodes)
    wholes = _groups(total, nodes) if total is not None else parts
    totals = {key: _sum_group(ctx, members) for key, members in wholes.items()}
    result = []
    for key in [*parts, *(k for k in totals if k not in parts)]:
        if key not in parts:
            result.append(_missing(f"asPercent(MISSING,{totals[key].name})", totals[key]))
            continue
        for part in parts[key]:
            if key in totals:
                result.append(_percent_pair(ctx, part, totals[key]))
            else:
                result.append(_missing(f"asPercent({part.name},MISSING)", part))
    return result


@register(
    "asPercent",
    "pct",
    params=(series(), Param("total", Kind.ANY), Param("nodes", Kind.NODE, multiple=True)),
)
def as_percent(
    ctx: Context,
    series_list: SeriesList,
    total: SeriesList | float | None = None,
    *nodes: int | str,
) -> SeriesList:
    if not series_list:
        return []
    if nodes:
        if total is not None and not isinstance(total, list):
            raise QueryError("asPercent: with nodes, the total must be a series list or None")
        return _percent_by_nodes(ctx, series_list, total, nodes)
    if isinstance(total, list):
        if len(total) == len(series_list):
            pairs = zip(
                sorted(series_list, key=lambda s: s.name),
                sorted(total, key=lambda s: s.name),
                strict=True,
            )
            return [_percent_pair(ctx, part, whole) for part, whole in pairs]
        if len(total) != 1:
            raise QueryError(
                f"asPercent: the total must be one series or as many as the first argument "
                f"({len(series_list)}), got {len(total)}",
                hint="wrap the total in sumSeries(...)",
            )
        aligned, *_ = normalize([*series_list, *total])
        return _percent_of(aligned[:-1], aligned[-1].values, total[0].name)
    aligned, *_ = normalize(series_list)
    if total is None:
        return _percent_of(aligned, [safe_sum(row) for row in rows(aligned)], None)
    return _percent_of(aligned, [float(total)] * len(aligned[0].values), str(total))


def _percent_of(parts: SeriesList, totals: Sequence[Value], total_name: str | None) -> SeriesList:
    whole = total_name or f"sumSeries({path_expressions(parts)})"
    result = []
    for part in parts:
        values = [_percent(v, t) for v, t in zip(part.values, totals, strict=False)]
        values += [None] * (len(part.values) - len(values))
        result.append(part.with_values(values, f"asPercent({part.name},{whole})"))
    return result
