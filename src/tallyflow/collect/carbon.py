"""Carbon plaintext receiver (collect stage): `path value timestamp` lines over TCP -> series store.

Input: carbon's line protocol (what ReportUpdater, statsd and `nc` send to port 2003). Output:
points written into the embedded series store every `carbon.write_interval` seconds, grouped per
file (as carbon-cache batches writes). Bad lines are counted by reason and one example per reason
is logged; a NaN value is dropped silently, as carbon does.
"""

from __future__ import annotations

import logging
import math
import socketserver
import threading

from tallyflow.records import MetricPoint
from tallyflow.store.series import SeriesStore, WriteReceipt

log = logging.getLogger(__name__)


def parse_plaintext(line: bytes) -> MetricPoint | str | None:
    """One line -> a point, None for a NaN value (dropped), or the reason it is refused."""
    fields = line.split()
    if len(fields) != 3:
        return "field_count"
    path, raw_value, raw_ts = fields
    try:
        value, ts = float(raw_value), float(raw_ts)
    except ValueError:
        return "bad_number"
    if math.isnan(value):
        return None
    if not math.isfinite(ts) or math.isinf(value):
        return "bad_number"
    try:
        return MetricPoint(path.decode("utf-8"), value, int(ts))
    except UnicodeDecodeError:
        return "bad_path"


class _TCPServer(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


class CarbonReceiver:
    """A threaded TCP line receiver feeding one `SeriesStore`."""

    def __init__(
        self, store: SeriesStore, host: str, port: int, write_interval: float = 1.0
    ) -> None:
        self.store = store
        self.write_interval = write_interval
        self.lock = threading.Lock()
        self.pending: list[MetricPoint] = []
        self.received = 0
        self.bad_lines: dict[str, int] = {}
        self.totals = WriteReceipt()
        self._stop = threading.Event()
        receiver = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                for line in self.rfile:
                    if line.strip():
                        receiver.take(line)

        self._server = _TCPServer((host, port), Handler)
        self._threads = [
            threading.Thread(
                target=self._server.serve_forever, args=(0.1,), name="carbon-tcp", daemon=True
            ),
            threading.Thread(target=self._write_loop, name="carbon-writer", daemon=True),
        ]

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def take(self, line: bytes) -> None:
        parsed = parse_plaintext(line)
        with self.lock:
            self.received += 1
            if isinstance(parsed, MetricPoint):
                self.pending.append(parsed)
            elif parsed is not None:
                if parsed not in self.bad_lines:
                    log.warning("bad carbon line (%s): %r", parsed, line[:200])
                self.bad_lines[parsed] = self.bad_lines.get(parsed, 0) + 1

    def write(self) -> WriteReceipt:
        """Write what has arrived so far into the store."""
        with self.lock:
            points, self.pending = self.pending, []
        receipt = self.store.write(points)
        with self.lock:
            self.totals.written += receipt.written
            self.totals.rejected += receipt.rejected
            self.totals.too_old += receipt.too_old
            self.totals.created += receipt.created
        return receipt

    def _write_loop(self) -> None:
        while not self._stop.wait(self.write_interval):
            try:
                self.write()
            except Exception:  # a store failure must not end the receiver
                log.exception("carbon receiver: write into the series store failed")

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def close(self) -> None:
        """Stop listening, then write the last points."""
        self._stop.set()
        if self._threads[0].is_alive():
            self._server.shutdown()
        self._server.server_close()
        for thread in self._threads:
            if thread.is_alive():
                thread.join(timeout=10)
        self.write()
