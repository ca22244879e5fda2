"""Time series as graphite-web's render functions see them, and their consolidation.

A `Series` is a name, `start`/`end`/`step` in epoch seconds and one value (or None) per step
from `start`. Values are consolidated as graphite-web's TimeSeries does: in runs of
`points` values counted from the first one, with the series' consolidation function
(`average` unless `consolidateBy` changed it), None when the run has no value or fewer
non-null values than the xFilesFactor asks. Series of different steps are brought to the
least common multiple of their steps before they are combined (`normalize`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import reduce
from itertools import zip_longest

from tallyflow.errors import QueryError
from tallyflow.visualize.graphite.parser import first_path

Value = float | None


def safe_sum(values: Iterable[Value]) -> Value:
    usable = [v for v in values if v is not None]
    return sum(usable) if usable else None


def safe_average(values: Iterable[Value]) -> Value:
    usable = [v for v in values if v is not None]
    return sum(usable) / len(usable) if usable else None


def safe_median(values: Iterable[Value]) -> Value:
    usable = sorted(v for v in values if v is not None)
    if not usable:
        return None
    mid = len(usable) // 2
    return usable[mid] if len(usable) % 2 else (usable[mid - 1] + usable[mid]) / 2


def safe_diff(values: Iterable[Value]) -> Value:
    usable = [v for v in values if v is not None]
    return usable[0] - sum(usable[1:]) if usable else None


def safe_stddev(values: Iterable[Value]) -> Value:
    usable = [v for v in values if v is not None]
    if not usable:
        return None
    mean = sum(usable) / len(usable)
    return math.sqrt(sum((v - mean) ** 2 for v in usable) / len(usable))


def safe_multiply(values: Iterable[Value]) -> Value:
    row = list(values)
    if not row or any(v is None for v in row):
        return None
    return reduce(lambda a, b: a * b, (float(v) for v in row if v is not None))


def safe_last(values: Iterable[Value]) -> Value:
    usable = [v for v in values if v is not None]
    return usable[-1] if usable else None


def safe_range(values: Iterable[Value]) -> Value:
    usable = [v for v in values if v is not None]
    return float(max(usable) - min(usable)) if usable else None


def safe_div(a: Value, b: Value) -> Value:
    if a is None or b is None or b == 0:
        return None
    return a / b


AggFunc = Callable[[Sequence[Value]], Value]

AGGREGATIONS: dict[str, AggFunc] = {
    "average": safe_average,
    "avg_zero": lambda row: sum(0 if v is None else v for v in row) / len(row) if row else None,
    "median": safe_median,
    "sum": safe_sum,
    "min": lambda row: min((v for v in row if v is not None), default=None),
    "max": lambda row: max((v for v in row if v is not None), default=None),
    "diff": safe_diff,
    "stddev": safe_stddev,
    "count": lambda row: float(sum(1 for v in row if v is not None)),
    "range": safe_range,
    "multiply": safe_multiply,
    "last": safe_last,
}
AGGREGATION_ALIASES = {"avg": "average", "total": "sum", "rangeOf": "range", "current": "last"}
CONSOLIDATIONS: dict[str, AggFunc] = {
    **AGGREGATIONS,
    "avg": safe_average,
    "first": lambda row: next((v for v in row if v is not None), None),
}


def aggregation(name: str) -> AggFunc:
    """An aggregation function by graphite's name (`sum`, `avg`, `sumSeries`, ...)."""
    base = name[: -len("Series")] if name.endswith("Series") else name
    base = AGGREGATION_ALIASES.get(base, base)
    if base not in AGGREGATIONS:
        known = ", ".join([*AGGREGATIONS, *AGGREGATION_ALIASES])
        raise QueryError(f"unknown aggregation function {name!r}", hint=f"use one of: {known}")
    return AGGREGATIONS[base]


def xff_ok(non_null: int, total: float, xfiles_factor: float) -> bool:
    """graphite's xFilesFactor test: some values, and at least that share of them."""
    return non_null > 0 and total > 0 and non_null / total >= xfiles_factor


@dataclass(frozen=True)
class Series:
    """One series: values at `start`, `start + step`, ...; `end` as graphite-web keeps it."""

    name: str
    start: int
    end: int
    step: int
    values: tuple[Value, ...]
    path_expression: str = ""
    consolidation: str = "average"
    xfiles_factor: float = 0.0

    @property
    def expression(self) -> str:
        """graphite-web's pathExpression: what the series was fetched or computed from."""
        return self.path_expression or self.name

    def renamed(self, name: str, *, keep_expression: bool = False) -> Series:
        """The series under a new name; the expression follows unless kept (as alias does)."""
        expression = self.path_expression if keep_expression else name
        return replace(self, name=name, path_expression=expression)

    def with_values(self, values: Iterable[Value], name: str | None = None) -> Series:
        new = replace(self, values=tuple(values))
        return new.renamed(name) if name is not None else new

    def timestamps(self) -> range:
        return range(self.start, self.start + self.step * len(self.values), self.step)

    def consolidated(self, points: int) -> Series:
        """Runs of `points` values merged into one, with the step multiplied."""
        if points <= 1:
            return self
        merge = CONSOLIDATIONS.get(self.consolidation, safe_average)
        merged = []
        for first in range(0, len(self.values), points):
            run = self.values[first : first + points]
            non_null = sum(1 for v in run if v is not None)
            ok = xff_ok(non_null, points, self.xfiles_factor)
            merged.append(merge(run) if ok else None)
        return replace(self, values=tuple(merged), step=self.step * points)


def lcm(steps: Iterable[int]) -> int:
    return reduce(math.lcm, steps)


def normalize(series: Sequence[Series]) -> tuple[list[Series], int, int, int]:
    """Series at their least common step, and the common start, end and step."""
    step = lcm(s.step for s in series)
    start = min(s.start for s in series)
    end = max(s.end for s in series)
    end -= (end - start) % step
    return [s.consolidated(step // s.step) for s in series], start, end, step


def rows(series: Sequence[Series]) -> Iterable[tuple[Value, ...]]:
    """Values side by side by position, None-padded (graphite-web's izip_longest)."""
    return zip_longest(*(s.values for s in series))


def combined(
    name: str,
    series: Sequence[Series],
    func: Callable[[tuple[Value, ...]], Value],
    xfiles_factor: float = 0.0,
) -> Series:
    """One series from `func` applied to the aligned values of several."""
    aligned, start, end, step = normalize(series)
    values = tuple(func(row) for row in rows(aligned))
    return Series(name, start, end, step, values, name, xfiles_factor=xfiles_factor)


def path_expressions(series: Sequence[Series]) -> str:
    """The distinct expressions of `series`, comma-joined, for names like `sumSeries(...)`."""
    return ",".join(dict.fromkeys(s.expression for s in series))


def node_key(series: Series, nodes: Sequence[int | str]) -> str:
    """The name's nodes joined by dots (graphite-web's aggKey): from the name's first path when
    the name wraps it in functions; a node out of range, or a tag other than `name`, is ''."""
    parts = first_path(series.name).split(";", 1)[0].split(".")
    picked = []
    for node in nodes:
        if isinstance(node, int) and -len(parts) <= node < len(parts):
            picked.append(parts[node])
        else:
            picked.append(series.name if node == "name" else "")
    return ".".join(picked)
