"""Render functions that transform each series on its own: arithmetic, gaps, rates, buckets
and moving windows.

Input: a series list and the call's arguments. Output: one series per input, named as
graphite-web names it (`scale(a.b,2)`, `summarize(a.b, "1h", "sum")`, `movingAverage(a.b,5)`).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import replace
from itertools import zip_longest

from tallyflow.errors import QueryError
from tallyflow.visualize.graphite.registry import (
    Context,
    Kind,
    Lazy,
    Param,
    SeriesList,
    register,
    series,
)
from tallyflow.visualize.graphite.series import (
    CONSOLIDATIONS,
    Series,
    Value,
    aggregation,
    rows,
    xff_ok,
)
from tallyflow.visualize.graphite.timespec import interval_seconds, offset_seconds


@register("scale", params=(series(), Param("factor", Kind.FLOAT, required=True)))
def scale(ctx: Context, series_list: SeriesList, factor: float) -> SeriesList:
    return [
        s.with_values(
            (None if v is None else v * factor for v in s.values), f"scale({s.name},{factor:g})"
        )
        for s in series_list
    ]


@register("offset", params=(series(), Param("factor", Kind.FLOAT, required=True)))
def offset(ctx: Context, series_list: SeriesList, factor: float) -> SeriesList:
    return [
        s.with_values(
            (None if v is None else v + factor for v in s.values), f"offset({s.name},{factor:g})"
        )
        for s in series_list
    ]


@register("absolute", params=(series(),))
def absolute(ctx: Context, series_list: SeriesList) -> SeriesList:
    return [
        s.with_values((None if v is None else abs(v) for v in s.values), f"absolute({s.name})")
        for s in series_list
    ]


def _keep_last(values: tuple[Value, ...], limit: float) -> list[Value]:
    kept = list(values)
    last: Value = None
    gap = 0
    for i, value in enumerate(values):
        if value is None:
            gap += 1
            continue
        if 0 < gap <= limit and last is not None:
            kept[i - gap : i] = [last] * gap
        gap, last = 0, value
    if 0 < gap <= limit and last is not None:
        kept[len(values) - gap :] = [last] * gap
    return kept


@register("keepLastValue", params=(series(), Param("limit", Kind.INT_OR_INF)))
def keep_last_value(ctx: Context, series_list: SeriesList, limit: float = math.inf) -> SeriesList:
    return [
        s.with_values(_keep_last(s.values, limit), f"keepLastValue({s.name})") for s in series_list
    ]


@register(
    "transformNull",
    params=(series(), Param("default", Kind.FLOAT), Param("referenceSeries", Kind.SERIES)),
)
def transform_null(
    ctx: Context,
    series_list: SeriesList,
    default: float = 0,
    reference: SeriesList | None = None,
) -> SeriesList:
    fills: list[Value] = []
    if reference:
        fills = [default if any(v is not None for v in row) else None for row in rows(reference)]
    suffix = ",referenceSeries" if reference else ""
    result = []
    for s in series_list:
        if fills:
            values = [f if v is None else v for v, f in zip_longest(s.values, fills)]
        else:
            values = [default if v is None else v for v in s.values]
        result.append(s.with_values(values, f"transformNull({s.name},{default:g}{suffix})"))
    return result


def _running(values: tuple[Value, ...]) -> Iterator[Value]:
    total = 0.0
    for value in values:
        if value is None:
            yield None
        else:
            total += value
            yield total


@register("integral", params=(series(),))
def integral(ctx: Context, series_list: SeriesList) -> SeriesList:
    return [s.with_values(_running(s.values), f"integral({s.name})") for s in series_list]


def _deltas(values: tuple[Value, ...]) -> Iterator[Value]:
    prev: Value = None
    for value in values:
        yield None if prev is None or value is None else value - prev
        prev = value


@register("derivative", params=(series(),))
def derivative(ctx: Context, series_list: SeriesList) -> SeriesList:
    return [s.with_values(_deltas(s.values), f"derivative({s.name})") for s in series_list]


def _non_negative_deltas(
    values: tuple[Value, ...], max_value: float | None, min_value: float | None
) -> Iterator[Value]:
    prev: Value = None
    for value in values:
        if value is not None and (
            (max_value is not None and value > max_value)
            or (min_value is not None and value < min_value)
        ):
            yield None
            prev = None
        elif prev is None or value is None:
            yield None
            prev = value
        elif value >= prev:
            yield value - prev
            prev = value
        elif max_value is not None:
            yield max_value + 1 + value - prev - (min_value or 0)
            prev = value
        else:
            yield None if min_value is None else value - min_value
            prev = value


NON_NEGATIVE_PARAMS = (series(), Param("maxValue", Kind.FLOAT), Param("minValue", Kind.FLOAT))


@register("nonNegativeDerivative", params=NON_NEGATIVE_PARAMS)
def non_negative_derivative(
    ctx: Context,
    series_list: SeriesList,
    max_value: float | None = None,
    min_value: float | None = None,
) -> SeriesList:
    return [
        s.with_values(
            _non_negative_deltas(s.values, max_value, min_value),
            f"nonNegativeDerivative({s.name})",
        )
        for s in series_list
    ]


@register("perSecond", params=NON_NEGATIVE_PARAMS)
def per_second(
    ctx: Context,
    series_list: SeriesList,
    max_value: float | None = None,
    min_value: float | None = None,
) -> SeriesList:
    result = []
    for s in series_list:
        deltas = _non_negative_deltas(s.values, max_value, min_value)
        rates = (None if d is None else round(d / s.step, 6) for d in deltas)
        result.append(s.with_values(rates, f"perSecond({s.name})"))
    return result


def _buckets(s: Series, func: str, interval: int, start: int, end: int) -> tuple[list[Value], int]:
    """Values per bucket [t, t + interval) from `start` while t < `end`, and the t after."""
    merge = aggregation(func)
    per_bucket = interval / s.step
    stamped = list(zip(s.timestamps(), s.values, strict=False))
    values: list[Value] = []
    i, bucket = 0, start
    while bucket < end:
        first = i
        while i < len(stamped) and stamped[i][0] < bucket + interval:
            i += 1
        inside = [v for t, v in stamped[first:i] if t >= bucket]
        non_null = sum(1 for v in inside if v is not None)
        values.append(merge(inside) if xff_ok(non_null, per_bucket, s.xfiles_factor) else None)
        bucket += interval
    return values, bucket


@register(
    "summarize",
    params=(
        series(),
        Param("intervalString", Kind.INTERVAL, required=True),
        Param("func", Kind.AGG),
        Param("alignToFrom", Kind.BOOL),
    ),
)
def summarize(
    ctx: Context,
    series_list: SeriesList,
    interval_text: str,
    func: str = "sum",
    align_to_from: bool = False,
) -> SeriesList:
    interval = interval_seconds(interval_text)
    result = []
    for s in series_list:
        if align_to_from:
            start, end = s.start, s.end
        else:
            start, end = s.start - s.start % interval, s.end - s.end % interval + interval
        values, after = _buckets(s, func, interval, start, end)
        flag = ", true" if align_to_from else ""
        name = f'summarize({s.name}, "{interval_text}", "{func}"{flag})'
        new = replace(s, start=start, end=after if align_to_from else end, step=interval)
        result.append(new.with_values(values, name))
    return result


def _window(
    ctx: Context, lazy: Lazy, size: int | str, func: str, xff: float | None, tag: str
) -> SeriesList:
    current = lazy(ctx)
    if not current:
        return []
    if isinstance(size, str):
        preview = abs(offset_seconds(size))
    else:
        preview = max(s.step for s in current) * size
    merge = aggregation(func)
    result = []
    for s in lazy(replace(ctx, start=ctx.start - preview)):
        points = preview // s.step if isinstance(size, str) else size
        shown = f'"{size}"' if isinstance(size, str) else str(size)
        values: list[Value] = []
        for i in range(points + 1, len(s.values) + 1):
            usable = [v for v in s.values[i - points : i] if v is not None]
            enough = xff_ok(len(usable), points, s.xfiles_factor if xff is None else xff)
            values.append(merge(usable) if usable and enough else None)
        moved = replace(s, start=s.start + preview)
        result.append(moved.with_values(values, f"{tag}({s.name},{shown})"))
    return result


WINDOW_PARAMS = (
    Param("seriesList", Kind.LAZY_SERIES, required=True),
    Param("windowSize", Kind.INT_OR_INTERVAL, required=True),
)


@register(
    "movingWindow",
    params=(*WINDOW_PARAMS, Param("func", Kind.AGG), Param("xFilesFactor", Kind.FLOAT)),
)
def moving_window(
    ctx: Context, lazy: Lazy, size: int | str, func: str = "average", xff: float | None = None
) -> SeriesList:
    return _window(ctx, lazy, size, func, xff, "moving" + func.capitalize())


def _moving(func: str, name: str) -> None:
    def impl(ctx: Context, lazy: Lazy, size: int | str, xff: float | None = None) -> SeriesList:
        return _window(ctx, lazy, size, func, xff, name)

    register(name, params=(*WINDOW_PARAMS, Param("xFilesFactor", Kind.FLOAT)))(impl)


_moving("average", "movingAverage")
_moving("sum", "movingSum")
_moving("min", "movingMin")
_moving("max", "movingMax")
_moving("median", "movingMedian")


@register(
    "consolidateBy", params=(series(), Param("consolidationFunc", Kind.STRING, required=True))
)
def consolidate_by(ctx: Context, series_list: SeriesList, func: str) -> SeriesList:
    if func not in CONSOLIDATIONS:
        raise QueryError(
            f"consolidateBy: unknown consolidation function {func!r}",
            hint="use sum, average, avg_zero, min, max, first or last",
        )
    return [
        replace(s, consolidation=func).renamed(f'consolidateBy({s.name},"{func}")')
        for s in series_list
    ]
