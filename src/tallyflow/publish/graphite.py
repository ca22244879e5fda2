"""Graphite plaintext protocol sender (`<path> <value> <timestamp>\\n` over TCP).

Points are buffered and sent in batches over one connection. When carbon is down, the sender
keeps up to `max_buffer` points, reconnects with exponential back-off, and counts every point it
had to drop: nothing is lost silently.
"""

from __future__ import annotations

import math
import socket
import time
from collections import deque
from collections.abc import Callable, Iterable

from tallyflow.errors import PublishTransient
from tallyflow.records import MetricPoint


def format_value(value: float) -> str:
    """Integers without a fraction, other numbers in their shortest exact form."""
    if math.isfinite(value) and value == int(value) and abs(value) < 2**53:
        return str(int(value))
    return repr(float(value))


def plaintext_line(point: MetricPoint) -> str:
    return f"{point.path} {format_value(point.value)} {point.timestamp}\n"


class GraphiteSender:
    """Sends points to one carbon plaintext receiver."""

    def __init__(
        self,
        host: str,
        port: int = 2003,
        *,
        timeout: float = 5.0,
        max_buffer: int = 1_000_000,
        batch_size: int = 5_000,
        backoff_max: float = 30.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.address = (host, port)
        self.timeout = timeout
        self.batch_size = batch_size
        self.backoff_max = backoff_max
        self._monotonic = monotonic
        self._buffer: deque[str] = deque()
        self._max_buffer = max_buffer
        self._socket: socket.socket | None = None
        self._retry_at = 0.0
        self._backoff = 0.5
        self.sent = 0
        self.dropped = 0

    @property
    def pending(self) -> int:
        return len(self._buffer)

    def enqueue(self, points: Iterable[MetricPoint]) -> None:
        """Buffer points; the oldest are dropped (and counted) past `max_buffer`."""
        for point in points:
            if len(self._buffer) >= self._max_buffer:
                self._buffer.popleft()
                self.dropped += 1
            self._buffer.append(plaintext_line(point))

    def enqueue_lines(self, lines: Iterable[str]) -> None:
        """Buffer ready-made plaintext lines (`<path> <value> <timestamp>\\n`) as they are."""
        for line in lines:
            if len(self._buffer) >= self._max_buffer:
                self._buffer.popleft()
                self.dropped += 1
            self._buffer.append(line)

    def drain(self) -> list[str]:
        """Take every line not sent yet out of the buffer (to keep it for a later run)."""
        lines = list(self._buffer)
        self._buffer.clear()
        return lines

    def send(self, points: Iterable[MetricPoint]) -> int:
        """Buffer `points` and try to send everything buffered; returns the number sent."""
        self.enqueue(points)
        return self.flush()

    def flush(self) -> int:
        """Send what is buffered. Raises PublishTransient (keeping the rest) if carbon is down."""
        if not self._buffer:
            return 0
        if self._socket is None and self._monotonic() < self._retry_at:
            raise PublishTransient(
                f"graphite {self.address[0]}:{self.address[1]} unreachable; "
                f"{len(self._buffer)} points kept for retry"
            )
        sent = 0
        try:
            sock = self._connect()
            while self._buffer:
                batch = [self._buffer[i] for i in range(min(self.batch_size, len(self._buffer)))]
                sock.sendall("".join(batch).encode())
                for _ in batch:
                    self._buffer.popleft()
                sent += len(batch)
        except OSError as error:
            self._disconnect()
            self._retry_at = self._monotonic() + self._backoff
            self._backoff = min(self._backoff * 2, self.backoff_max)
            self.sent += sent
            raise PublishTransient(
                f"graphite {self.address[0]}:{self.address[1]}: {error}; "
                f"{len(self._buffer)} points kept for retry"
            ) from None
        self._backoff = 0.5
        self.sent += sent
        return sent

    def close(self) -> None:
        self._disconnect()

    def _connect(self) -> socket.socket:
        if self._socket is None:
            self._socket = socket.create_connection(self.address, timeout=self.timeout)
        return self._socket

    def _disconnect(self) -> None:
        if self._socket is not None:
            try:
                self._socket.close()
            finally:
                self._socket = None
