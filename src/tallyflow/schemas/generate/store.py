"""Generated batches straight into the event store, column by column (the bulk path).

Input: `traffic.Batch`es (Arrow struct rows shaped like the JSON events). Output: Parquet files
written by the store's columnar bulk path (`EventStore.write_columns`): the same refine as the
intake (Refine's names, schema-aligned types, `useragent`) and the same Hive layout,
partitioned by `meta.dt`. No per-event Python object is made: the `useragent` struct is parsed
once per distinct agent (the store's own `parse_user_agent`) and handed over with the columns.

Each hour partition of a batch is one store write (one file, fsynced); a few writer threads
take them while the main thread generates the next batch: Parquet encoding releases the GIL
and fsync waits for the disk, so they overlap. Every thread has its own `EventStore`, so no
store state is shared between threads.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

from tallyflow.schemas.generate.traffic import Batch
from tallyflow.store.events import EventStore
from tallyflow.store.types import USERAGENT_TYPE
from tallyflow.store.useragent import parse_user_agent

WRITERS = 3
"""Writer threads."""
_PENDING = 64
"""Hour partitions queued at most (they keep their batch in memory)."""


@dataclass
class StoreWriter:
    """Writes batches of generated events (one schema version per stream) into a store."""

    open_store: Callable[[], EventStore]
    """Makes the `EventStore` of one writer thread."""
    schema_uris: dict[str, str]
    """`$schema` of each stream's generated events."""
    written: dict[str, int] = field(default_factory=dict)
    files: int = 0
    _local: threading.local = field(default_factory=threading.local)

    def write(self, batches: Iterable[Batch]) -> None:
        pending: deque[Future[int]] = deque()
        with ThreadPoolExecutor(WRITERS, thread_name_prefix="generate-writer") as pool:
            try:
                for batch in batches:
                    for stream, uri, part in self._partitions(batch):
                        while len(pending) >= _PENDING:
                            self.files += pending.popleft().result()
                        pending.append(pool.submit(self._write, stream, uri, part))
                    self.written[batch.stream] = self.written.get(batch.stream, 0) + len(
                        batch.events
                    )
                while pending:
                    self.files += pending.popleft().result()
            finally:
                for future in pending:
                    future.cancel()

    def _partitions(self, batch: Batch) -> Iterable[tuple[str, str, pa.Table]]:
        table = pa.Table.from_struct_array(batch.events)
        table = table.append_column("useragent", _useragents(batch.user_agent))
        hours = batch.received_ms // 3_600_000  # batches come ordered by receive hour
        starts = np.flatnonzero(np.r_[True, hours[1:] != hours[:-1]])
        ends = np.r_[starts[1:], len(hours)]
        uri = self.schema_uris[batch.stream]
        for first, last in zip(starts.tolist(), ends.tolist(), strict=True):
            yield batch.stream, uri, table.slice(first, last - first)

    def _write(self, stream: str, uri: str, part: pa.Table) -> int:
        store = getattr(self._local, "store", None)
        if store is None:
            store = self._local.store = self.open_store()
        return len(store.write_columns(stream, uri, part).files)


def _useragents(agents: pa.Array) -> pa.Array:
    """The `useragent` struct of each row, parsed once per distinct user agent."""
    encoded = agents if pa.types.is_dictionary(agents.type) else agents.dictionary_encode()
    parsed = [parse_user_agent(str(agent)) for agent in encoded.dictionary.to_pylist()]
    return pa.array(parsed, USERAGENT_TYPE).take(encoded.indices)
