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
import pyarrow.compute as pc

from tallyflow.errors import StoreError
from tallyflow.store.types import JSON_TEXT, USERAGENT_TYPE, normalize_name, table_schema
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

    def refine_columns(self, data: pa.Table) -> pa.Table:
        """Columnar refine: normalized names, derived `useragent`, schema-aligned types."""
        renamed = data.rename_columns([self._column(name) for name in data.column_names])
        columns = {}
        for name in renamed.column_names:
            if name == "useragent":
                continue
            index = self.schema.get_field_index(name)
            column = renamed[name]
            columns[name] = (
                _conform_array(column.combine_chunks(), self.schema.field(index).type, name)
                if index >= 0
                else column
            )
        conformed = pa.table(columns)
        return conformed.append_column("useragent", _useragent_column(conformed))

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


def _conform_array(array: pa.Array, kind: pa.DataType, name: str) -> pa.Array:
    """`array` as type `kind`: structs matched field by field (by name), a struct of strings
    turned into a map, anything else cast."""
    if array.type == kind:
        return array
    if pa.types.is_struct(kind) and pa.types.is_struct(array.type):
        source = {array.type.field(i).name: i for i in range(array.type.num_fields)}
        children = []
        for i in range(kind.num_fields):
            target = kind.field(i)
            if target.name in source:
                child = pc.struct_field(array, source[target.name])
                children.append(_conform_array(child, target.type, f"{name}.{target.name}"))
            else:
                children.append(pa.nulls(len(array), target.type))
        return pa.StructArray.from_arrays(
            children, fields=list(kind), mask=array.is_null() if array.null_count else None
        )
    if pa.types.is_map(kind) and pa.types.is_struct(array.type):
        rows = [
            None if row is None else [(k, v) for k, v in row.items() if v is not None]
            for row in array.to_pylist()
        ]
        return _conform_array(pa.array(rows, pa.map_(pa.string(), kind.item_type)), kind, name)
    try:
        return array.cast(kind)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as error:
        raise StoreError(
            f"column {name}: {array.type} cannot be stored as {kind}: {error}"
        ) from None


def _useragent_column(data: pa.Table) -> pa.Array:
    """`useragent` structs parsed once per distinct user agent."""
    if "http" not in data.column_names or not pa.types.is_struct(data["http"].type):
        return pa.nulls(data.num_rows, USERAGENT_TYPE)
    http = data["http"].combine_chunks()
    if http.type.get_field_index("request_headers") < 0:
        return pa.nulls(data.num_rows, USERAGENT_TYPE)
    headers = pc.struct_field(http, "request_headers")
    if not pa.types.is_map(headers.type):
        return pa.nulls(data.num_rows, USERAGENT_TYPE)
    agents = pc.map_lookup(headers, pa.scalar("user-agent"), "first").dictionary_encode()
    parsed = pa.array(
        [parse_user_agent(a) if a else None for a in agents.dictionary.to_pylist()],
        USERAGENT_TYPE,
    )
    return parsed.take(agents.indices)


def _user_agent(event: Mapping[str, Any]) -> str | None:
    http = event.get("http")
    if isinstance(http, Mapping):
        headers = http.get("request_headers")
        if isinstance(headers, Mapping):
            agent = headers.get("user-agent")
            if isinstance(agent, str) and agent:
                return agent
    return None
