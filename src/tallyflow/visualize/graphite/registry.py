"""The render functions' table: each function's graphite name(s) and typed parameters.

Function modules (`combine`, `transform`, `select`) register their functions here with
`@register(name, *params)`; the evaluator binds a call's arguments to the parameters as
graphite-web's validateParams does (positional, then `name=value`, a last parameter that may
repeat) and converts each value to its kind, so a wrong argument is an error that names the
function, the parameter and what was written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TypeVar

from tallyflow.visualize.graphite.series import Series


class Kind(Enum):
    """What a parameter takes (graphite-web's ParamTypes)."""

    SERIES = "series list"
    LAZY_SERIES = "lazy series list"  # a callable: the function evaluates it (again) itself
    INT = "integer"
    FLOAT = "number"
    STRING = "string"
    BOOL = "boolean"
    AGG = "aggregation function"
    AGG_OR_FUNCTION = "aggregation or series function"
    NODE = "node index"
    INTERVAL = "interval"
    INT_OR_INTERVAL = "integer or interval"
    INT_OR_INF = "integer or inf"
    ANY = "series list or number"

    @property
    def label(self) -> str:
        """What the parameter takes, for error messages."""
        return "series list" if self is Kind.LAZY_SERIES else self.value


@dataclass(frozen=True)
class Param:
    name: str
    kind: Kind
    required: bool = False
    multiple: bool = False


@dataclass(frozen=True)
class Context:
    """What an evaluation reads: the whisper root and the time range (epoch seconds)."""

    root: Path
    start: int
    end: int
    now: int
    xfiles_factor: float = 0.0


SeriesList = list[Series]
Lazy = Callable[[Context], SeriesList]
Impl = Callable[..., SeriesList]


@dataclass(frozen=True)
class Function:
    name: str
    impl: Impl
    params: tuple[Param, ...]
    aggregator: bool
    """Takes series lists and returns one series: usable as a groupByNodes callback."""


FUNCTIONS: dict[str, Function] = {}


ImplT = TypeVar("ImplT", bound=Impl)


def register(
    *names: str, params: tuple[Param, ...], aggregator: bool = False
) -> Callable[[ImplT], ImplT]:
    """Record the decorated implementation under each of `names`."""

    def record(impl: ImplT) -> ImplT:
        for name in names:
            FUNCTIONS[name] = Function(name, impl, params, aggregator)
        return impl

    return record


def series(name: str = "seriesList", *, multiple: bool = False) -> Param:
    return Param(name, Kind.SERIES, required=True, multiple=multiple)
