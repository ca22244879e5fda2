"""Importing tables into the store (store stage: Parquet / CSV / JSON-lines files in, a
Hive-partitioned table `<store>/events/<database>/<table>/` out).

Queries read more than events: `wmf.*` and `wmf_raw.*` tables, MediaWiki history snapshots.
Importing sample data under the same name lets a team run those queries locally. Column names
are lowercased (as Hive shows them); the data is partitioned by the given columns, by default by
whichever of year, month, day, hour it has.
"""

from __future__ import annotations

import re
import shutil
import uuid
from collections.abc import Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.dataset as ds
import pyarrow.json as pajson
import pyarrow.parquet as pq

from tallyflow.errors import StoreError, UsageError
from tallyflow.store.catalog import PARTITION_COLUMNS
from tallyflow.store.layout import table_dir

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def parse_table_name(name: str) -> tuple[str, str]:
    """`wmf.browser_general` -> ("wmf", "browser_general")."""
    database, _, table = name.partition(".")
    if not (_NAME.match(database) and _NAME.match(table)):
        raise UsageError(f"{name!r} is not DATABASE.TABLE", hint="for example wmf.browser_general")
    return database.lower(), table.lower()


def read_file(path: Path) -> pa.Table:
    """One input file, by extension: .parquet, .csv, .tsv, .json/.jsonl/.ndjson."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            return pq.read_table(path)
        if suffix in (".csv", ".tsv"):
            delimiter = "\t" if suffix == ".tsv" else ","
            return pacsv.read_csv(path, parse_options=pacsv.ParseOptions(delimiter=delimiter))
        if suffix in (".json", ".jsonl", ".ndjson"):
            return pajson.read_json(path)
    except (pa.ArrowInvalid, OSError) as error:
        raise StoreError(f"{path}: cannot be read: {error}") from None
    raise UsageError(
        f"{path}: unknown file type {suffix or '(none)'}",
        hint="use .parquet, .csv, .tsv or JSON lines (.json, .jsonl, .ndjson)",
    )


def import_table(
    store_root: Path,
    name: str,
    files: Sequence[Path],
    partition_by: Sequence[str] | None = None,
    replace: bool = False,
) -> int:
    """Add the rows of `files` to table `name`; returns the number of rows written."""
    database, table = parse_table_name(name)
    parts = [read_file(path) for path in files]
    parts = [part.rename_columns([c.lower() for c in part.column_names]) for part in parts]
    data = pa.concat_tables(parts, promote_options="permissive") if len(parts) > 1 else parts[0]
    if partition_by is None:
        partition_by = [c for c in PARTITION_COLUMNS if c in data.column_names]
    missing = [c for c in partition_by if c not in data.column_names]
    if missing:
        raise UsageError(
            f"partition column {missing[0]!r} is not in the data "
            f"(columns: {', '.join(data.column_names)})"
        )
    target = table_dir(store_root, table, database)
    if replace and target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True, exist_ok=True)
    tag = uuid.uuid4().hex[:12]
    if partition_by:
        ds.write_dataset(
            data,
            target,
            format="parquet",
            partitioning=list(partition_by),
            partitioning_flavor="hive",
            basename_template=f"import-{tag}-{{i}}.parquet",
            existing_data_behavior="overwrite_or_ignore",
        )
    else:
        pq.write_table(data, target / f"import-{tag}.parquet")
    return int(data.num_rows)
