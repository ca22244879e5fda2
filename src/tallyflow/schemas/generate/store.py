"""Generated batches straight into the event store, column by column (the bulk path).

Input: `traffic.Batch`es (Arrow struct rows shaped like the JSON events). Output: Parquet files
written by the store's columnar bulk path (`EventStore.write_columns`): the same refine as the
intake (Refine's names, schema-aligned types, `useragent` parsed from the user-agent header) and
the same Hive layout, partitioned by `meta.dt`. No per-event Python object is made: the
`useragent` struct is parsed once per distinct agent (the store's own `parse_user_agent`) and
handed over with the columns.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

from tallyflow.schemas.generate.traffic import Batch
from tallyflow.store.events import EventStore
from tallyflow.store.types import USERAGENT_TYPE
from tallyflow.store.useragent import parse_user_agent


@dataclass
class StoreWriter:
    """Writes batches of generated events of one schema version per stream into a store."""

    store: EventStore
    schema_uris: dict[str, str]
    """`$schema` of each stream's generated events."""
    written: dict[str, int] = field(default_factory=dict)
    files: int = 0

    def write(self, batches: Iterable[Batch]) -> None:
        """Write every batch; the next batch is generated while the last one is written
        (Parquet encoding releases the GIL); at most three batches are in memory."""
        pending: deque[Future[None]] = deque()
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="generate-writer") as pool:
            try:
                for batch in batches:
                    if len(pending) >= 2:
                        pending.popleft().result()
                    pending.append(pool.submit(self.write_batch, batch))
                while pending:
                    pending.popleft().result()
            finally:
                for future in pending:
                    future.cancel()

    def write_batch(self, batch: Batch) -> None:
        table = pa.Table.from_struct_array(batch.events)
        table = table.append_column("useragent", _useragents(batch.user_agent))
        hours = batch.received_ms // 3_600_000  # batches come ordered by receive hour
        starts = np.flatnonzero(np.r_[True, hours[1:] != hours[:-1]])
        ends = np.r_[starts[1:], len(hours)]
        uri = self.schema_uris[batch.stream]
        for first, last in zip(starts.tolist(), ends.tolist(), strict=True):
            receipt = self.store.write_columns(batch.stream, uri, table.slice(first, last - first))
            self.files += len(receipt.files)
        self.written[batch.stream] = self.written.get(batch.stream, 0) + len(table)


def _useragents(agents: pa.Array) -> pa.Array:
    """The `useragent` struct of each row, parsed once per distinct user agent."""
    encoded = agents if pa.types.is_dictionary(agents.type) else agents.dictionary_encode()
    parsed = [parse_user_agent(str(agent)) for agent in encoded.dictionary.to_pylist()]
    return pa.array(parsed, USERAGENT_TYPE).take(encoded.indices)
