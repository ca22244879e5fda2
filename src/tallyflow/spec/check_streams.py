"""Closed-loop checks of collection: every stream a spec names is configured (schema title and
sampling as the spec says), and its schema loads, is a valid JSON Schema and has the fields the
spec relies on.

Input: a `Context` (specs, `collect.streams` configuration, `schemas.repository`). Output:
`Finding`s naming the spec line and the fix.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from jsonschema import (
    Draft4Validator,
    Draft6Validator,
    Draft7Validator,
    Draft201909Validator,
    Draft202012Validator,
)
from jsonschema import SchemaError as JsonSchemaError

from tallyflow.errors import SchemaError
from tallyflow.spec.findings import Finding
from tallyflow.spec.load import SpecFile
from tallyflow.spec.querycheck import table_columns
from tallyflow.yamlfile import KeyPath

if TYPE_CHECKING:
    from tallyflow.spec.crosscheck import Context


def schema_uri(title: str) -> str:
    """The URI of a schema title's newest version in a jsonschema-tools repository."""
    return f"/{title.strip('/')}/latest"


def validator_class(schema: dict[str, Any]) -> type[Draft7Validator]:
    """The validator of the draft a schema's `$schema` names (http or https); draft-07, the
    draft of Wikimedia's schemas, when it names none."""
    uri = str(schema.get("$schema", ""))
    for marker, cls in (
        ("draft-04", Draft4Validator),
        ("draft-06", Draft6Validator),
        ("2019-09", Draft201909Validator),
        ("2020-12", Draft202012Validator),
    ):
        if marker in uri:
            return cls  # type: ignore[return-value]
    return Draft7Validator


def check_streams(ctx: Context) -> list[Finding]:
    """Every stream a spec names is configured, with the spec's schema and sampling, and its
    schema loads, is a valid JSON Schema and has the fields the spec relies on."""
    found = []
    for sf in ctx.specs:
        for index, stream in enumerate(sf.spec.streams):
            where = sf.where(("streams", index, "name"))
            config = ctx.streams.lookup(stream.name)
            if config is None:
                found.append(
                    Finding(
                        "stream-missing",
                        where,
                        f"stream {stream.name} is not in {ctx.streams.path}",
                        f"add `{stream.name}: {{schema_title: ..., sample: ...}}` to "
                        f"{ctx.streams.path}, or fix the name",
                    )
                )
                continue
            title = stream.schema_title or config.schema_title
            if stream.schema_title and config.schema_title != stream.schema_title:
                found.append(
                    Finding(
                        "stream-schema",
                        sf.where(("streams", index, "schema_title")),
                        f"stream {stream.name} has schema_title {config.schema_title} in "
                        f"{ctx.streams.path}, the spec says {stream.schema_title}",
                        "make the spec and streams.yaml name the same schema",
                    )
                )
            if stream.sample is not None and (
                config.sample is None
                or config.sample.rate != stream.sample.rate
                or config.sample.unit != stream.sample.unit
            ):
                actual = (
                    f"{config.sample.rate:g} per {config.sample.unit}" if config.sample else "none"
                )
                found.append(
                    Finding(
                        "stream-sampling",
                        sf.where(("streams", index, "sample")),
                        f"spec samples {stream.name} at {stream.sample.rate:g} per "
                        f"{stream.sample.unit}, {ctx.streams.path} at {actual}",
                        "make the spec's `sample` match the stream configuration",
                    )
                )
            if not title:
                found.append(
                    Finding(
                        "stream-schema",
                        where,
                        f"stream {stream.name} names no schema_title",
                        f"set schema_title for {stream.name} in {ctx.streams.path}",
                    )
                )
                continue
            found += _check_schema(ctx, sf, index, title)
    return found


def _check_schema(ctx: Context, sf: SpecFile, index: int, title: str) -> list[Finding]:
    where = sf.where(("streams", index, "name"))
    try:
        schema = ctx.repository.resolved(schema_uri(title))
    except SchemaError as error:
        return [
            Finding(
                "schema-missing",
                where,
                f"schema {title}: {error.message}",
                f"add the schema to {', '.join(map(str, ctx.repository.base_paths))} "
                "(current.yaml plus a materialized version and the `latest` links)",
            )
        ]
    try:
        validator_class(schema).check_schema(schema)
    except JsonSchemaError as error:
        return [
            Finding(
                "schema-invalid",
                where,
                f"schema {title} is not a valid JSON Schema: {error.message}",
                "fix the schema (`tallyflow schemas test`)",
            )
        ]
    table = table_columns(title, schema)
    stream = sf.spec.streams[index]
    wanted: list[tuple[KeyPath, str]] = [
        (("streams", index, "fields", i), f) for i, f in enumerate(stream.fields)
    ]
    if len(sf.spec.streams) == 1:
        wanted += [
            (("dimensions", i, "field"), d.field)
            for i, d in enumerate(sf.spec.dimensions)
            if d.field
        ]
    return [
        Finding(
            "schema-field",
            sf.where(key),
            f"field {name} is not in schema {title}",
            f"use a field of the schema ({', '.join(sorted(table.columns))}) or add it "
            "to the schema as a new optional field",
        )
        for key, name in wanted
        if not table.has(name.split("."))
    ]
