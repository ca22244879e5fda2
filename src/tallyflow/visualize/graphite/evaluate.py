"""Targets -> series: evaluates parsed targets over the whisper tree for a time range.

Input: target strings (after template substitution), the whisper root and `start`/`end`/`now`
in epoch seconds. Output: the series of every target in order, as graphite-web's
evaluateTarget returns them. A path is fetched (its leaves, sorted by name); a call's
arguments are evaluated, bound to the function's parameters and checked, so an unknown
function, a missing or surplus argument or a value of the wrong kind is a `QueryError`
naming the function and parameter.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Sequence
from pathlib import Path as FilePath
from typing import Any

from tallyflow.errors import QueryError
from tallyflow.visualize.graphite import combine, select, transform  # noqa: F401 (register)
from tallyflow.visualize.graphite.finder import fetch
from tallyflow.visualize.graphite.parser import Call, Expr, Path, parse
from tallyflow.visualize.graphite.registry import (
    FUNCTIONS,
    Context,
    Function,
    Kind,
    Param,
    SeriesList,
)
from tallyflow.visualize.graphite.series import AGGREGATION_ALIASES, AGGREGATIONS, Series
from tallyflow.visualize.graphite.timespec import interval_seconds


def supported_functions() -> list[str]:
    """Every function name the evaluator knows, sorted."""
    return sorted(FUNCTIONS, key=str.lower)


def _describe(expr: Expr) -> str:
    if isinstance(expr, Path):
        return f"the path {expr.text!r}"
    if isinstance(expr, Call):
        return f"a call of {expr.name}()"
    return repr(expr)


def _bad(function: str, param: Param, expr: Expr) -> QueryError:
    label = param.kind.label
    article = "an" if label[0] in "aeiou" else "a"
    return QueryError(
        f"{function}: parameter {param.name!r} takes {article} {label}, got {_describe(expr)}"
    )


def _series_value(value: Any, function: str, param: Param, expr: Expr) -> SeriesList:
    if isinstance(value, list) and all(isinstance(s, Series) for s in value):
        return value
    raise _bad(function, param, expr)


def _number(expr: Expr) -> float | None:
    if isinstance(expr, bool) or not isinstance(expr, int | float | str):
        return None
    try:
        return float(expr)
    except ValueError:
        return None


def _is_aggregation(name: str) -> bool:
    base = name[: -len("Series")] if name.endswith("Series") else name
    return base in AGGREGATIONS or base in AGGREGATION_ALIASES


def _interval(expr: Expr) -> str | None:
    if not isinstance(expr, str):
        return None
    try:
        interval_seconds(expr)
    except QueryError:
        return None
    return expr


def _literal(function: str, param: Param, expr: Expr) -> Any:
    """A non-series argument checked and converted to its parameter's kind."""
    kind, number = param.kind, _number(expr)
    value: Any = None
    if kind is Kind.FLOAT:
        value = number
    elif kind in (Kind.INT, Kind.NODE, Kind.INT_OR_INF, Kind.INT_OR_INTERVAL):
        if number is not None and number.is_integer():
            value = int(number)
        elif kind is Kind.INT_OR_INF and number == math.inf:
            value = math.inf
        elif kind is Kind.NODE and isinstance(expr, str):
            value = expr
        elif kind is Kind.INT_OR_INTERVAL:
            value = _interval(expr)
    elif kind is Kind.STRING:
        value = expr if isinstance(expr, str) else (None if number is None else str(expr))
    elif kind is Kind.BOOL:
        value = _boolean(expr)
    elif kind is Kind.INTERVAL:
        value = _interval(expr)
    elif kind in (Kind.AGG, Kind.AGG_OR_FUNCTION) and isinstance(expr, str):
        usable = _is_aggregation(expr) or (
            kind is Kind.AGG_OR_FUNCTION and expr in FUNCTIONS and FUNCTIONS[expr].aggregator
        )
        value = expr if usable else None
    if value is None:
        raise _bad(function, param, expr)
    return value


def _boolean(expr: Expr) -> bool | None:
    if isinstance(expr, bool):
        return expr
    if isinstance(expr, str) and expr.lower() in ("true", "false"):
        return expr.lower() == "true"
    if isinstance(expr, int | float) and expr in (0, 1):
        return bool(expr)
    return None


def _argument(function: str, param: Param, expr: Expr, ctx: Context) -> Any:
    if param.kind is Kind.LAZY_SERIES:
        first = _series_value(evaluate(expr, ctx), function, param, expr)

        def again(context: Context) -> SeriesList:
            if context == ctx:
                return first
            return _series_value(evaluate(expr, context), function, param, expr)

        return again
    if param.kind is Kind.SERIES:
        return _series_value(evaluate(expr, ctx), function, param, expr)
    if param.kind is Kind.ANY:
        value = evaluate(expr, ctx)
        if value is None or isinstance(value, list):
            return value
        number = _number(value)
        if number is None:
            raise _bad(function, param, expr)
        return value if isinstance(value, int | float) else number
    if isinstance(expr, Path | Call):
        raise _bad(function, param, expr)
    return _literal(function, param, expr)


def _bind(function: Function, call: Call) -> tuple[list[tuple[Param, Expr]], dict[str, Expr]]:
    """Positional arguments with their parameters, and the keyword arguments (checked)."""
    params = function.params
    positional: list[tuple[Param, Expr]] = []
    for index, expr in enumerate(call.args):
        if index < len(params):
            positional.append((params[index], expr))
        elif params and params[-1].multiple:
            positional.append((params[-1], expr))
        else:
            raise QueryError(
                f"{call.name}: too many arguments ({len(call.args)}); it takes "
                + (", ".join(p.name for p in params) or "none")
            )
    rest = params[len(call.args) :]
    keywords = dict(call.kwargs)
    for name in keywords:
        if name not in {p.name for p in rest}:
            raise QueryError(f"{call.name}: unexpected keyword argument {name!r}")
    for param in rest:
        if param.required and param.name not in keywords:
            raise QueryError(f"{call.name}: missing required argument {param.name!r}")
    return positional, keywords


def _call(call: Call, ctx: Context) -> SeriesList:
    function = FUNCTIONS.get(call.name)
    if function is None:
        raise QueryError(
            f"unknown function {call.name!r} (at position {call.position + 1})",
            hint="supported functions: " + ", ".join(supported_functions()),
        )
    positional, keywords = _bind(function, call)
    args = [_argument(call.name, param, expr, ctx) for param, expr in positional]
    if keywords:
        # parameters skipped before a keyword argument take the implementation's default
        defaults = list(inspect.signature(function.impl).parameters.values())[1:]
        last = max(i for i, p in enumerate(function.params) if p.name in keywords)
        for index in range(len(args), last + 1):
            param = function.params[index]
            if param.name in keywords:
                args.append(_argument(call.name, param, keywords[param.name], ctx))
            else:
                args.append(defaults[index].default)
    return function.impl(ctx, *args)


def evaluate(expr: Expr, ctx: Context) -> Any:
    """The value of one expression: a series list for paths and calls, else the literal."""
    if isinstance(expr, Path):
        return fetch(ctx.root, expr.text, ctx.start, ctx.end, ctx.now, ctx.xfiles_factor)
    if isinstance(expr, Call):
        return _call(expr, ctx)
    return expr


def render(
    root: FilePath,
    targets: Sequence[str],
    start: int,
    end: int,
    *,
    now: int | None = None,
    xfiles_factor: float = 0.0,
) -> list[Series]:
    """The series of every target over `start`..`end` (swapped when reversed), in order.

    `root` is the whisper tree (`series_root(store)`); `now` (default `end`) is the time that
    whisper clamps to and picks archives by. Raises QueryError for a bad target or range.
    """
    start, end = min(start, end), max(start, end)
    if start == end:
        raise QueryError("empty time range: from and until are the same time")
    ctx = Context(root, start, end, end if now is None else now, xfiles_factor)
    result: list[Series] = []
    for target in targets:
        if not target.strip():
            continue
        value = evaluate(parse(target), ctx)
        if not isinstance(value, list):
            raise QueryError(
                f"target {target!r} is a value, not a series",
                hint="a target is a metric path or a function call",
            )
        result += value
    return result
