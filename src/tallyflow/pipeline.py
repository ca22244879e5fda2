"""Wiring: builds the stages of a project from its settings. The only module (with `cli/`)
that reaches across stages.
"""

from __future__ import annotations

import logging
from datetime import datetime

import duckdb
import pyarrow as pa

from tallyflow.collect.process import BUILTIN_SCHEMAS
from tallyflow.collect.streams import Streams, load_streams
from tallyflow.errors import TallyflowError
from tallyflow.project import Project
from tallyflow.schemas.repository import SchemaRepository
from tallyflow.store import catalog
from tallyflow.store.events import EventStore
from tallyflow.store.layout import EVENT_DATABASE, table_for_stream
from tallyflow.store.retention import RetentionReceipt, load_allowlist, prune
from tallyflow.store.types import table_schema

log = logging.getLogger(__name__)


def schema_repository(project: Project) -> SchemaRepository:
    """The project's schema repositories, then the schemas tallyflow ships (error events)."""
    paths = [*project.schema_paths, BUILTIN_SCHEMAS]
    return SchemaRepository(paths, project.settings.schemas.file_extension)


def streams(project: Project) -> Streams:
    return load_streams(project.streams_path)


def event_store(project: Project, *, converts: bool = True) -> EventStore:
    return EventStore(
        project.store_root, schema_repository(project), project.settings.events, converts=converts
    )


def declared_tables(project: Project) -> dict[catalog.TableName, pa.Schema]:
    """Tables of the configured streams (exact names with a schema_title), from the latest
    version of their schema, so queries work before any event arrives."""
    repository = schema_repository(project)
    stream_config = streams(project)
    declared: dict[catalog.TableName, pa.Schema] = {}
    for name in stream_config.names():
        config = stream_config.lookup(name)
        if config is None or not config.schema_title:
            continue
        try:
            schema = repository.resolved(f"/{config.schema_title}/latest")
        except TallyflowError as error:
            log.warning("stream %s: no table declared: %s", name, error)
            continue
        declared[(EVENT_DATABASE, table_for_stream(name))] = table_schema(schema)
    return declared


def query_connection(project: Project) -> duckdb.DuckDBPyConnection:
    """DuckDB with the project's tables as views (`event.<table>`)."""
    return catalog.connect(project.store_root, declared_tables(project))


def prune_store(project: Project, now: datetime) -> RetentionReceipt:
    """Apply retention (per-stream `retention_days`, else `events.retention_days`) and the
    sanitization allowlist to the project's store."""
    stream_config = streams(project)
    per_table = {
        table_for_stream(name): config.retention_days
        for name in stream_config.names()
        if (config := stream_config.lookup(name)) is not None and config.retention_days
    }
    default = project.settings.events.retention_days
    allowlist_path = project.settings.events.sanitize_allowlist
    allowlist = load_allowlist(project.path(allowlist_path)) if allowlist_path else None
    return prune(project.store_root, now, lambda table: per_table.get(table, default), allowlist)
