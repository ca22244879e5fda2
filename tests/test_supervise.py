"""Child processes of `tallyflow up`: port checks before anything starts, readiness checks, a
dead child noticed, and SIGTERM on stop. Real sockets and real processes."""

from __future__ import annotations

import socket
import sys
from pathlib import Path

import pytest

from tallyflow.errors import UsageError
from tallyflow.supervise import (
    Child,
    ChildDied,
    Port,
    Supervisor,
    check_ports,
    tcp_accepts,
    udp_bound,
)


def test_a_taken_tcp_or_udp_port_is_refused_naming_its_key() -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        with pytest.raises(UsageError) as caught:
            check_ports([Port("127.0.0.1", port, "tcp", "intake.port")], "tallyflow.yaml")
        assert f"TCP port {port}" in caught.value.message
        assert "intake.port" in caught.value.message and caught.value.exit_code == 2
        assert tcp_accepts("127.0.0.1", port)()
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
        udp.bind(("127.0.0.1", 0))
        port = udp.getsockname()[1]
        assert udp_bound("127.0.0.1", port)()
        with pytest.raises(UsageError, match=f"UDP port {port} .*statsd.port"):
            check_ports([Port("127.0.0.1", port, "udp", "statsd.port")], "tallyflow.yaml")
    check_ports([Port("127.0.0.1", port, "udp", "statsd.port")], "tallyflow.yaml")  # free now
    assert not udp_bound("127.0.0.1", port)()


def _child(tmp_path: Path, name: str, code: str) -> Child:
    return Child(name, [sys.executable, "-c", code], lambda: True, tmp_path / f"{name}.log")


def test_a_child_that_exits_is_named_with_its_log(tmp_path: Path) -> None:
    supervisor = Supervisor()
    supervisor.start(_child(tmp_path, "carbon", "print('cannot listen'); raise SystemExit(3)"))
    supervisor.start(_child(tmp_path, "intake", "import time; time.sleep(60)"))
    try:
        with pytest.raises(ChildDied) as caught:
            for _ in range(100):
                dead = supervisor.dead()
                if dead is not None:
                    raise ChildDied(dead)
                supervisor.children[0].process.wait(0.1)  # type: ignore[union-attr]
        assert "carbon exited with status 3" in caught.value.message
        assert caught.value.hint is not None and "cannot listen" in caught.value.hint
    finally:
        codes = supervisor.stop()
    assert codes == {"carbon": 3, "intake": -15}  # the sleeper got SIGTERM
