"""The StatsD server (collect stage): UDP packets in, flushes to the configured sinks out.

Two threads keep reception apart from flushing. The receive thread drains the UDP socket (large
SO_RCVBUF) in batches of non-blocking `recv` calls and applies each batch under a short lock; the
flush thread, aligned to `start + k * flush_interval` as Etsy's timer is, swaps the state out
under that lock and then computes statistics and writes to Graphite, the series store and the
Prometheus registry without holding it, so a slow flush never stops reception. A final flush runs
on shutdown.
"""

from __future__ import annotations

import logging
import select
import socket
import threading
import time
from collections.abc import Callable, Sequence

from tallyflow.collect.statsd_aggregate import Aggregator
from tallyflow.collect.statsd_flush import graphite_points
from tallyflow.collect.statsd_sinks import FlushSink, GraphiteSink
from tallyflow.project import StatsdSettings

log = logging.getLogger(__name__)

_BATCH = 2048
_MAX_DATAGRAM = 65535


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
    """UDP receiver + flusher around one `Aggregator`."""

    def __init__(
        self,
        settings: StatsdSettings,
        sinks: Sequence[FlushSink] = (),
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.settings = settings
        self.aggregator = Aggregator(settings)
        self.sinks = list(sinks)
        self.lock = threading.Lock()
        self.health = settings.health
        self.started = clock()
        self._clock = clock
        self._stop = threading.Event()
        self.sock = open_udp_socket(settings.host, settings.port, settings.receive_buffer)
        self.flushes = 0
        self._threads = [
            threading.Thread(target=self._receive, name="statsd-udp", daemon=True),
            threading.Thread(target=self._flush_loop, name="statsd-flush", daemon=True),
        ]

    @property
    def port(self) -> int:
        return int(self.sock.getsockname()[1])

    @property
    def receive_buffer(self) -> int:
        """The SO_RCVBUF the kernel granted (it doubles the request, capped by rmem_max)."""
        return int(self.sock.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF))

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def close(self) -> None:
        """Stop both threads, run a last flush, close the socket and the sinks."""
        self._stop.set()
        for thread in self._threads:
            if thread.is_alive():
                thread.join(timeout=10)
        self.sock.close()
        for sink in self.sinks:
            sink.close()

    def _receive(self) -> None:
        sock, recv, lock = self.sock, self.sock.recv, self.lock
        ingest = self.aggregator.ingest
        poller = select.poll()
        poller.register(sock, select.POLLIN)
        stop = self._stop
        while not stop.is_set():
            packets: list[bytes] = []
            try:
                for _ in range(_BATCH):
                    packets.append(recv(_MAX_DATAGRAM))
            except BlockingIOError:
                if not packets:
                    poller.poll(200)
                    continue
            except OSError as error:
                if stop.is_set():
                    return
                log.warning("statsd UDP receive: %s", error)
            if packets:
                with lock:
                    ingest(packets)
        self._drain(recv)

    def _drain(self, recv: Callable[[int], bytes]) -> None:
        """At shutdown: take what is still queued in the socket, so the last flush counts it."""
        packets: list[bytes] = []
        try:
            while True:
                packets.append(recv(_MAX_DATAGRAM))
        except OSError:
            pass
        with self.lock:
            self.aggregator.ingest(packets)

    def _flush_loop(self) -> None:
        interval = self.settings.flush_interval
        next_at = self.started + interval
        while not self._stop.wait(max(0.0, next_at - self._clock())):
            self.flush()
            next_at += interval
            behind = self._clock() - next_at
            if behind > 0:
                skipped = int(behind // interval) + 1
                log.warning("flush took longer than the interval; skipping %d tick(s)", skipped)
                next_at += skipped * interval
        for thread in self._threads[:1]:
            thread.join(timeout=10)
        self.flush()

    def flush(self) -> None:
        """One flush: swap the state out under the lock, then compute and publish without it."""
        started = time.perf_counter()
        with self.lock:
            snap = self.aggregator.snapshot(int(self._clock()))
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
