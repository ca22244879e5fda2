"""The StatsD server (collect stage): UDP packets in, flushes to the configured sinks out.

Reception and flushing never share a GIL: the socket is read by a separate receive process
(`statsd_receiver`, one thread: recv in batches, parse, aggregate) while this process runs the
flush thread. Aligned to `start + k * flush_interval` as Etsy's timer is, the flush thread asks
the receiver for its snapshot (Etsy's swap-and-reset, a short pause for the receiver), then
computes the statistics and writes to Graphite, the series store and the Prometheus registry
here, so a slow flush never stops reception. A final flush runs on shutdown.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

from tallyflow.collect.statsd_flush import graphite_points
from tallyflow.collect.statsd_receiver import ReceiverProcess
from tallyflow.collect.statsd_sinks import FlushSink, GraphiteSink
from tallyflow.project import StatsdSettings

log = logging.getLogger(__name__)


def open_udp_socket(host: str, port: int, receive_buffer: int) -> socket.socket:
    """A bound non-blocking UDP socket with the receive buffer as large as the kernel allows."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_DGRAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.setblocking(False)
    return sock


class StatsdServer:
    """The receive process + the flush thread + the sinks."""

    def __init__(
        self,
        settings: StatsdSettings,
        sinks: Sequence[FlushSink] = (),
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.settings = settings
        self.sinks = list(sinks)
        self.health = settings.health
        self.started = clock()
        self._clock = clock
        self._stop = threading.Event()
        self.sock = open_udp_socket(settings.host, settings.port, settings.receive_buffer)
        self.receiver: ReceiverProcess | None = None
        self.flushes = 0
        self._last_ts = 0
        self._flusher = threading.Thread(target=self._flush_loop, name="statsd-flush", daemon=True)
        self._flush_lock = threading.Lock()

    @property
    def port(self) -> int:
        return int(self.sock.getsockname()[1])

    @property
    def receive_buffer(self) -> int:
        """The SO_RCVBUF the kernel granted (it doubles the request, capped by rmem_max)."""
        return int(self.sock.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF))

    def start(self) -> None:
        self.receiver = ReceiverProcess(self.sock, self.settings)
        self._flusher.start()

    def alive(self) -> bool:
        """False once the receive process has ended (it should only end at close())."""
        return self.receiver is not None and self.receiver.process.poll() is None

    def get(self, name: str) -> Any:
        """A copy of the receiver's state attribute (`counters`, `timers`, `gauges`, ...)."""
        assert self.receiver is not None, "start() the server first"
        return self.receiver.call("get", name)

    def delete(self, kind: str, names: list[str]) -> list[str]:
        assert self.receiver is not None, "start() the server first"
        messages: list[str] = self.receiver.call("delete", kind, names)
        return messages

    def close(self) -> None:
        """Stop the flush thread, take the receiver's last snapshot and publish it, close."""
        self._stop.set()
        if self._flusher.is_alive():
            self._flusher.join(timeout=30)
        if self.receiver is not None:
            snap = self.receiver.stop(self._timestamp())
            if snap is not None:
                self._publish(snap, time.perf_counter())
            self.receiver = None
        self.sock.close()
        for sink in self.sinks:
            sink.close()

    def _flush_loop(self) -> None:
        interval = self.settings.flush_interval
        next_at = self.started + interval
        while not self._stop.wait(max(0.0, next_at - self._clock())):
            try:
                self.flush()
            except (EOFError, OSError) as error:
                log.error("statsd receive process is gone: %s", error)
                return
            next_at += interval
            behind = self._clock() - next_at
            if behind > 0:
                skipped = int(behind // interval) + 1
                log.warning("flush took longer than the interval; skipping %d tick(s)", skipped)
                next_at += skipped * interval

    def flush(self) -> None:
        """One flush: the receiver's snapshot, then statistics and sinks in this process."""
        assert self.receiver is not None, "start() the server first"
        started = time.perf_counter()
        self._publish(self.receiver.snapshot(self._timestamp()), started)

    def _timestamp(self) -> int:
        """Whole seconds, strictly increasing when the interval is at least 1 s: timer jitter or
        the shutdown flush must not give two flushes one timestamp (the later would overwrite
        the earlier in Graphite)."""
        ts = int(self._clock())
        if self.settings.flush_interval >= 1:
            ts = max(ts, self._last_ts + 1)
        self._last_ts = ts
        return ts

    def _publish(self, snap: Any, started: float) -> None:
        with self._flush_lock:
            extra: dict[str, float] = {}
            for sink in self.sinks:
                if isinstance(sink, GraphiteSink):
                    extra.update(sink.self_stats())
            extra["processing_time"] = round((time.perf_counter() - started) * 1000)
            points = graphite_points(snap, self.settings, extra)
            for sink in self.sinks:
                try:
                    sink.publish(snap, points)
                except Exception:  # a sink bug must not stop the flusher
                    log.exception("statsd flush to %s failed", sink.name)
            self.flushes += 1
