"""Refine: accepted events -> Arrow tables ready for Parquet, the way Wikimedia's Refine turns
events into Hive rows (see `store.types` for names and types; `store.useragent` for the
`useragent` struct).

A `Shaper` is compiled once per event schema and turns event dicts into rows: top-level names
normalized, columns with no Hive type kept as JSON text, `useragent` derived from
`http.request_headers['user-agent']`. Rows Arrow cannot take (a value of an unexpected type)
are returned separately so the caller can keep them elsewhere: nothing accepted is dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import orjson
import pyarrow as pa

from tallyflow.store.types import JSON_TEXT, normalize_name, table_schema
from tallyflow.store.useragent import parse_user_agent

Converter = Callable[[Any], Any]


def _json_text(value: Any) -> Any:
    if value is None or isinstance(value, str):
        return value
    return orjson.dumps(value).decode()


def _converter(kind: pa.DataType) -> Converter | None:
    """How to reshape a JSON value for `kind`; None when it can be used as it is."""
    if kind == JSON_TEXT:
        return _json_text
    if pa.types.is_struct(kind):
        children = [
            (field.name, conv)
            for field in (kind.field(i) for i in range(kind.num_fields))
            if (conv := _converter(field.type)) is not None
        ]
        if not children:
            return None

        def struct(value: Any) -> Any:
            if not isinstance(value, Mapping):
                return value
            result = dict(value)
            for name, conv in children:
                if name in result:
                    result[name] = conv(result[name])
            return result

        return struct
    if pa.types.is_list(kind):
        element = _converter(kind.value_type)
        if element is None:
            return None
        convert_element: Converter = element
        return lambda value: (
            [convert_element(v) for v in value] if isinstance(value, list) else value
        )
    if pa.types.is_map(kind):
        item = _converter(kind.item_type)
        if item is None:
            return None
        convert_item: Converter = item
        return lambda value: (
            {k: convert_item(v) for k, v in value.items()} if isinstance(value, Mapping) else value
        )
    return None


class Shaper:
    """Event dicts of one schema -> an Arrow table of its refined columns."""

    def __init__(self, schema: Mapping[str, Any]) -> None:
        self.schema = table_schema(schema)
        self._names: dict[str, str] = {}
        self._converters = {
            f.name: conv for f in self.schema if (conv := _converter(f.type)) is not None
        }

    def _column(self, key: str) -> str:
        name = self._names.get(key)
        if name is None:
            name = self._names[key] = normalize_name(key, top_level=True)
        return name

    def row(self, event: Mapping[str, Any]) -> dict[str, Any]:
        row = {self._column(key): value for key, value in event.items()}
        for name, conv in self._converters.items():
            if name in row:
                row[name] = conv(row[name])
        agent = _user_agent(event)
        row["useragent"] = parse_user_agent(agent) if agent else None
        return row

    def table(
        self, events: Sequence[Mapping[str, Any]]
    ) -> tuple[pa.Table | None, list[Mapping[str, Any]]]:
        """(table of the events Arrow took, events it could not take)."""
        rows = [self.row(event) for event in events]
        try:
            return pa.Table.from_pylist(rows, schema=self.schema), []
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError, OverflowError):
            pass
        good: list[dict[str, Any]] = []
        bad: list[Mapping[str, Any]] = []
        for event, row in zip(events, rows, strict=True):
            try:
                pa.Table.from_pylist([row], schema=self.schema)
            except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError, OverflowError):
                bad.append(event)
            else:
                good.append(row)
        table = pa.Table.from_pylist(good, schema=self.schema) if good else None
        return table, bad


def _user_agent(event: Mapping[str, Any]) -> str | None:
    http = event.get("http")
    if isinstance(http, Mapping):
        headers = http.get("request_headers")
        if isinstance(headers, Mapping):
            agent = headers.get("user-agent")
            if isinstance(agent, str) and agent:
                return agent
    return None
