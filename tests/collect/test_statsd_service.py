"""The StatsD service over real loopback sockets: the `statsd` and `datadog` client libraries
send real UDP; flushes land in the whisper store, on a TCP carbon listener and on /metrics; the
admin interface answers over TCP."""

from __future__ import annotations

import socket
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import statsd
from datadog.dogstatsd import DogStatsd

from tallyflow.collect.statsd_service import StatsdService
from tallyflow.project import Project, Settings
from tallyflow.store.series import SeriesStore, series_root

from .conftest import LineListener, wait_for


def make_project(tmp_path: Path, **sections: Any) -> Project:
    base: dict[str, Any] = {
        "statsd": {"port": 0, "admin_port": 0, "flush_interval": 60},
        "prometheus": {"port": 0},
    }
    for name, values in sections.items():
        base[name] = {**base.get(name, {}), **values}
    return Project(root=tmp_path, settings=Settings.model_validate(base))


@pytest.fixture
def service(tmp_path: Path, line_listener: LineListener) -> Iterator[StatsdService]:
    project = make_project(tmp_path, graphite={"host": "127.0.0.1", "port": line_listener.port})
    running = StatsdService(project)
    running.start()
    yield running
    running.close()


@pytest.fixture
def client(service: StatsdService) -> Iterator[statsd.StatsClient]:
    sender = statsd.StatsClient("127.0.0.1", service.server.port)
    yield sender
    sender.close()


def received(service: StatsdService, lines: int) -> None:
    wait_for(lambda: service.server.get("counters").get("statsd.metrics_received", 0) >= lines)


def admin(service: StatsdService, command: str) -> str:
    assert service.admin is not None
    with socket.create_connection(("127.0.0.1", service.admin.port), timeout=5) as conn:
        conn.sendall(command.encode() + b"\nquit\n")
        chunks = []
        while chunk := conn.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks).decode()


def test_statsd_client_counter_reaches_store_and_carbon(
    service: StatsdService,
    client: statsd.StatsClient,
    line_listener: LineListener,
    tmp_path: Path,
) -> None:
    client.incr("x")
    with client.pipeline() as pipe:
        pipe.incr("x", 2)
        pipe.timing("db.query", 12.3456)
        pipe.gauge("queue", -5)  # sent as "queue:0|g\nqueue:-5|g"
        pipe.set("users", "alice")
    received(service, 6)
    service.server.flush()
    wait_for(lambda: line_listener.values("stats_counts.x"))
    assert line_listener.values("stats_counts.x") == [3]
    assert line_listener.values("stats.x") == [3 / 60]
    assert line_listener.values("stats.gauges.queue") == [-5]
    assert line_listener.values("stats.timers.db.query.upper_90") == [12.3456]
    store = SeriesStore(series_root(tmp_path / ".tallyflow"), Settings().series)
    now = int(time.time())
    assert [v for _, v in store.fetch("stats_counts.x", now - 30, now + 10) if v] == [3]
    assert [v for _, v in store.fetch("stats.sets.users.count", now - 30, now + 10) if v] == [1]


def test_datadog_client_tags_become_labels_and_paths(
    service: StatsdService, line_listener: LineListener
) -> None:
    client = DogStatsd(host="127.0.0.1", port=service.server.port, constant_tags=["env:dev"])
    client.increment("app.pageviews", tags=["page:home"])
    client.increment("app.pageviews", 2, tags=["page:home"])
    client.histogram("app.payload", 512)
    client.distribution("app.latency", 0.25)
    client.timing("app.render", 45)
    client.event("deploy", "v1.2 rolled out")
    client.flush()
    client.close_socket()
    received(service, 6)
    wait_for(lambda: sum(service.server.get("bad_lines_total").values()) >= 1)
    service.server.flush()
    wait_for(lambda: line_listener.values("statsd.numStats"))
    assert line_listener.values("stats_counts.app.pageviews;page=home;env=dev") == [3]
    assert line_listener.values("stats.timers.app.payload.sum;env=dev") == [512]
    assert service.endpoint is not None
    url = f"http://127.0.0.1:{service.endpoint.port}/metrics"
    with urllib.request.urlopen(url, timeout=5) as response:
        assert response.headers["Content-Type"].startswith("text/plain; version=0.0.4")
        text = response.read().decode()
    assert 'app_pageviews{env="dev",page="home"} 3' in text
    assert 'app_render_sum{env="dev"} 0.045' in text  # ms observed in seconds
    assert 'app_payload_sum{env="dev"} 512' in text  # h is unitless
    assert 'tallyflow_statsd_bad_lines_total{reason="dogstatsd_event"} 1' in text


def test_bad_lines_never_stop_the_server(service: StatsdService) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        for packet in (b"\xff\xfe:1|c", b"bad line", b"x:abc|c", b"", b"ok:1|c"):
            sock.sendto(packet, ("127.0.0.1", service.server.port))
    received(service, 4)
    counters = service.server.get("counters")
    assert counters["ok"] == 1
    assert service.server.get("bad_lines_total") == {
        "empty_key": 1,
        "no_value": 1,
        "bad_value": 1,
    }
    assert counters["statsd.bad_lines_seen"] == 3
    assert counters["statsd.packets_received"] == 5


def test_admin_interface_speaks_etsy(service: StatsdService, client: statsd.StatsClient) -> None:
    client.incr("hits")
    client.incr("a.one")
    client.timing("t", 5)
    client.gauge("g", 2)
    received(service, 4)
    assert "'hits': 1" in admin(service, "counters")
    assert admin(service, "timers").startswith("{ 't': [ 5 ] }\nEND\n\n")
    assert admin(service, "gauges") == "{ 'g': 2 }\nEND\n\n"
    assert admin(service, "delcounters a.* nope") == (
        "deleted: a.one\nmetric nope not found\nEND\n\n"
    )
    stats = admin(service, "stats")
    assert stats.startswith("uptime: ") and "messages.bad_lines_seen: 0" in stats
    assert "graphite.flush_length: 0" in stats and stats.endswith("END\n\n")
    assert admin(service, "health") == "health: up\n"
    assert admin(service, "health down") == "health: down\n"
    assert admin(service, "frobnicate") == "ERROR\n"
    assert "flush_interval: 60" in admin(service, "config")
    assert admin(service, "help").startswith("Commands: stats, counters")


def test_carbon_down_points_are_kept_then_delivered(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    project = make_project(tmp_path, graphite={"host": "127.0.0.1", "port": port})
    service = StatsdService(project)
    service.start()
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.sendto(b"kept:1|c", ("127.0.0.1", service.server.port))
        received(service, 1)
        service.server.flush()  # carbon is down: the points stay in the buffer
        sink = service.server.sinks[0]
        assert sink.sender.pending > 0 and sink.last_exception > 0  # type: ignore[attr-defined]
        listener = LineListener(port)
        sink.sender._retry_at = 0  # type: ignore[attr-defined]  # skip the back-off wait
        service.server.flush()
        wait_for(lambda: listener.values("stats_counts.kept"))
        assert listener.values("stats_counts.kept")[0] == 1
        assert sink.sender.dropped == 0  # type: ignore[attr-defined]
    finally:
        service.close()
    listener.close()


def test_receive_buffer_accepts_sizes_and_is_granted(tmp_path: Path) -> None:
    project = make_project(tmp_path, statsd={"receive_buffer": "1mb"}, prometheus={"port": None})
    assert project.settings.statsd.receive_buffer == 1024 * 1024
    running = StatsdService(project)
    try:
        assert running.server.receive_buffer >= 1024 * 1024  # Linux doubles the request
    finally:
        running.close()
