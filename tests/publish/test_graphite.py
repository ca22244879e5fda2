import socket
import threading

import pytest

from tallyflow.errors import PublishTransient
from tallyflow.publish.graphite import GraphiteSender, format_value
from tallyflow.records import MetricPoint


class Listener:
    """A real TCP listener on loopback that records what carbon would receive."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.data = b""
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        conn, _ = self.server.accept()
        with conn:
            while chunk := conn.recv(65536):
                self.data += chunk

    def close(self) -> None:
        self.server.close()


@pytest.mark.parametrize(
    ("value", "text"), [(3.0, "3"), (0.5, "0.5"), (-2, "-2"), (1e20, "1e+20"), (0.1, "0.1")]
)
def test_values_are_formatted_like_carbon_expects(value: float, text: str) -> None:
    assert format_value(value) == text


def test_points_arrive_as_plaintext_lines_over_one_connection() -> None:
    listener = Listener()
    sender = GraphiteSender("127.0.0.1", listener.port)
    sender.send([MetricPoint("a.b", 1, 100), MetricPoint("a.c", 2.5, 100)])
    sender.send([MetricPoint("a.b", 3, 160)])
    sender.close()
    listener.thread.join(5)
    listener.close()
    assert listener.data.decode() == "a.b 1 100\na.c 2.5 100\na.b 3 160\n"
    assert sender.sent == 3 and sender.pending == 0


def test_points_are_kept_while_carbon_is_down_and_sent_when_it_is_back() -> None:
    probe = socket.create_server(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    now = [0.0]
    sender = GraphiteSender("127.0.0.1", port, monotonic=lambda: now[0])
    with pytest.raises(PublishTransient, match="1 points kept"):
        sender.send([MetricPoint("x", 1, 1)])
    assert sender.pending == 1 and sender.dropped == 0
    server = socket.create_server(("127.0.0.1", port))
    received: list[bytes] = []

    def accept() -> None:
        conn, _ = server.accept()
        with conn:
            while chunk := conn.recv(65536):
                received.append(chunk)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    now[0] = 10.0
    assert sender.flush() == 1
    sender.close()
    thread.join(5)
    server.close()
    assert b"".join(received) == b"x 1 1\n"


def test_overflow_drops_oldest_and_counts_them() -> None:
    sender = GraphiteSender("127.0.0.1", 1, max_buffer=2)
    sender.enqueue([MetricPoint("a", 1, 1), MetricPoint("b", 1, 1), MetricPoint("c", 1, 1)])
    assert sender.pending == 2 and sender.dropped == 1
