"""Column generators: each `Node` draws one Arrow column for a whole batch of events and turns
such a column back into JSON-shaped Python data (`json_column`; None means absent).

Built by `values.compile_schema` from a schema; drawn by `traffic` once per batch.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from tallyflow.errors import SchemaError
from tallyflow.schemas.generate import columns

MAP_KEYS = ("alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta")


@dataclass
class Batch:
    """What a batch of rows draws from: randomness, size, time range, session/event facts."""

    rng: np.random.Generator
    size: int
    start_ms: int
    end_ms: int
    source: Callable[[str], pa.Array] | None = None


class Node:
    """Generates one column; `path` is the JSON path used in messages and hints."""

    arrow_type: pa.DataType = pa.null()

    def __init__(self, path: str) -> None:
        self.path = path

    def draw(self, batch: Batch) -> pa.Array:
        raise NotImplementedError

    def json_column(self, column: pa.Array) -> list[Any]:
        """The column's values as JSON-shaped Python data (None: absent)."""
        if pa.types.is_dictionary(column.type):
            values = column.dictionary.to_pylist()
            return [None if i is None else values[i] for i in column.indices.to_pylist()]
        plain: list[Any] = column.to_pylist()
        return plain

    def finite_values(self) -> list[Any] | None:
        """The values this node can produce, when they are few and known (for uniqueItems)."""
        return None


class ChoiceNode(Node):
    def __init__(
        self, path: str, values: list[Any], arrow_type: pa.DataType, weights: list[float] | None
    ) -> None:
        super().__init__(path)
        self.values, self.arrow_type, self.weights = values, arrow_type, weights

    def draw(self, batch: Batch) -> pa.Array:
        return columns.choice(batch.rng, batch.size, self.values, self.arrow_type, self.weights)

    def finite_values(self) -> list[Any] | None:
        if self.weights is None:
            return self.values
        return [v for v, w in zip(self.values, self.weights, strict=True) if w > 0]


class ConstantNode(ChoiceNode):
    """A value fixed by the stream (its name, its schema URI, its sampling settings)."""


class PerSessionNode(Node):
    """Draws one value per session and gives it to every event of that session."""

    def __init__(self, inner: Node) -> None:
        super().__init__(inner.path)
        self.inner, self.arrow_type = inner, inner.arrow_type

    def draw(self, batch: Batch) -> pa.Array:
        if batch.source is None:
            raise SchemaError(f"{self.path}: per-session values need the event's session")
        sessions = batch.source("session_number").to_numpy()
        distinct, inverse = np.unique(sessions, return_inverse=True)
        values = self.inner.draw(Batch(batch.rng, len(distinct), batch.start_ms, batch.end_ms))
        return values.take(pa.array(inverse.astype(np.int64)))

    def json_column(self, column: pa.Array) -> list[Any]:
        return self.inner.json_column(column)


class FunnelNode(ChoiceNode):
    """The n-th event of a session takes the n-th step (the last step repeats)."""

    def draw(self, batch: Batch) -> pa.Array:
        if batch.source is None:
            raise SchemaError(f"{self.path}: a funnel needs the event's place in its session")
        step = batch.source("sequence").to_numpy() - 1
        return columns.from_table(
            pa.array(self.values, type=self.arrow_type), np.minimum(step, len(self.values) - 1)
        )


class IntegerNode(Node):
    arrow_type = pa.int64()

    def __init__(self, path: str, low: int, high: int, step: int, log: bool) -> None:
        super().__init__(path)
        self.low, self.high, self.step, self.log = low, high, step, log

    def draw(self, batch: Batch) -> pa.Array:
        if self.log:
            scaled = columns.log_uniform(batch.rng, batch.size, 0, self.high - self.low)
            k = np.minimum(np.floor(scaled).astype(np.int64), self.high - self.low)
        else:
            k = batch.rng.integers(0, self.high - self.low, size=batch.size, endpoint=True)
        return pa.array((k + self.low) * self.step, type=pa.int64())


class NumberNode(Node):
    arrow_type = pa.float64()

    def __init__(self, path: str, low: float, high: float, log: bool) -> None:
        super().__init__(path)
        self.low, self.high, self.log = low, high, log

    def draw(self, batch: Batch) -> pa.Array:
        if self.log:
            values = columns.log_uniform(batch.rng, batch.size, self.low, self.high)
        else:
            values = self.low + batch.rng.random(batch.size) * (self.high - self.low)
        return pa.array(np.clip(values, self.low, self.high), type=pa.float64())


class StringNode(Node):
    arrow_type = pa.string()

    def __init__(self, path: str, make: Callable[[Batch], pa.Array]) -> None:
        super().__init__(path)
        self.make = make

    def draw(self, batch: Batch) -> pa.Array:
        return self.make(batch)


class SourceNode(Node):
    def __init__(self, path: str, name: str, arrow_type: pa.DataType) -> None:
        super().__init__(path)
        self.name, self.arrow_type = name, arrow_type

    def draw(self, batch: Batch) -> pa.Array:
        if batch.source is None:
            raise SchemaError(f"{self.path}: source {self.name} is not available here")
        column = batch.source(self.name)
        kind = column.type
        if pa.types.is_dictionary(kind):
            kind = kind.value_type
        return column if kind == self.arrow_type else column.cast(self.arrow_type)


@dataclass
class Member:
    name: str
    node: Node
    present: float
    """Probability an optional member is there; 1.0 for required members. Where a source has
    no value (e.g. the edit-count bucket of an anonymous user) the member is absent."""


class ObjectNode(Node):
    def __init__(self, path: str, members: list[Member]) -> None:
        super().__init__(path)
        self.members = members
        self.arrow_type = pa.struct([pa.field(m.name, m.node.arrow_type) for m in members])

    def draw(self, batch: Batch) -> pa.Array:
        arrays = []
        for member in self.members:
            column = member.node.draw(batch)
            if member.present < 1:
                keep = pa.array(batch.rng.random(batch.size) < member.present)
                column = pc.if_else(keep, column, pa.scalar(None, column.type))
            arrays.append(column)
        if not arrays:
            return pa.array([{}] * batch.size, type=self.arrow_type)
        return pa.StructArray.from_arrays(arrays, names=[m.name for m in self.members])

    def json_column(self, column: pa.Array) -> list[Any]:
        names = [m.name for m in self.members]
        children = [m.node.json_column(column.field(i)) for i, m in enumerate(self.members)]
        rows: list[Any] = [
            {k: v for k, v in zip(names, values, strict=True) if v is not None}
            for values in zip(*children, strict=True)
        ] if children else [{} for _ in range(len(column))]  # fmt: skip
        if column.null_count:
            valid = column.is_valid().to_pylist()
            rows = [row if ok else None for row, ok in zip(rows, valid, strict=True)]
        return rows


def _lengths(batch: Batch, low: int, high: int) -> np.ndarray:
    return batch.rng.integers(low, high, size=batch.size, endpoint=True)


class ArrayNode(Node):
    def __init__(self, path: str, item: Node, low: int, high: int, unique: bool) -> None:
        super().__init__(path)
        self.item, self.low, self.high, self.unique = item, low, high, unique
        self.arrow_type = pa.list_(item.arrow_type)

    def draw(self, batch: Batch) -> pa.Array:
        lengths = _lengths(batch, self.low, self.high)
        offsets = np.zeros(batch.size + 1, dtype=np.int32)
        np.cumsum(lengths, out=offsets[1:])
        total = int(offsets[-1])
        if self.unique:
            pool = self.item.finite_values() or []
            picks = [batch.rng.permutation(len(pool))[:n] for n in lengths]
            flat = np.concatenate(picks) if picks else np.zeros(0, dtype=np.int64)
            items = columns.from_table(pa.array(pool, type=self.item.arrow_type), flat)
        else:
            items = self.item.draw(Batch(batch.rng, total, batch.start_ms, batch.end_ms))
        return pa.ListArray.from_arrays(pa.array(offsets), items)

    def json_column(self, column: pa.Array) -> list[Any]:
        items = self.item.json_column(column.flatten())
        offsets = column.offsets.to_numpy()
        offsets = (offsets - offsets[0]).tolist()
        rows: list[Any] = [items[a:b] for a, b in zip(offsets, offsets[1:], strict=False)]
        if column.null_count:
            valid = column.is_valid().to_pylist()
            rows = [row if ok else None for row, ok in zip(rows, valid, strict=True)]
        return rows


class MapNode(Node):
    def __init__(self, path: str, value: Node, low: int, high: int) -> None:
        super().__init__(path)
        self.value, self.low, self.high = value, low, high
        self.arrow_type = pa.map_(pa.string(), value.arrow_type)

    def draw(self, batch: Batch) -> pa.Array:
        lengths = _lengths(batch, self.low, self.high)
        offsets = np.zeros(batch.size + 1, dtype=np.int32)
        np.cumsum(lengths, out=offsets[1:])
        total = int(offsets[-1])
        starts = np.repeat(offsets[:-1], lengths)
        key_index = np.arange(total, dtype=np.int64) - starts
        keys = pa.array(MAP_KEYS, pa.string()).take(pa.array(key_index))  # keys: plain strings
        values = self.value.draw(Batch(batch.rng, total, batch.start_ms, batch.end_ms))
        return pa.MapArray.from_arrays(pa.array(offsets), keys, values)

    def json_column(self, column: pa.Array) -> list[Any]:
        keys = column.keys.to_pylist()
        values = self.value.json_column(column.items)
        offsets = column.offsets.to_numpy()
        offsets = (offsets - offsets[0]).tolist()
        return [
            dict(zip(keys[a:b], values[a:b], strict=True))
            for a, b in zip(offsets, offsets[1:], strict=False)
        ]


class HeadersNode(Node):
    """`http.request_headers`: the one header a browser's beacon carries, its user agent."""

    arrow_type = pa.map_(pa.string(), pa.string())

    def draw(self, batch: Batch) -> pa.Array:
        assert batch.source is not None
        agents = batch.source("user_agent")
        offsets = pa.array(np.arange(batch.size + 1, dtype=np.int32))
        keys = pa.array(["user-agent"], pa.string()).take(pa.array(np.zeros(batch.size, np.int64)))
        return pa.MapArray.from_arrays(offsets, keys, agents)

    def json_column(self, column: pa.Array) -> list[Any]:
        agents = Node.json_column(self, column.items)
        return [{"user-agent": agent} for agent in agents]
