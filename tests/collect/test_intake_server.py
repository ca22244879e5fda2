"""The intake as a user runs it: `tallyflow serve intake` in its own process, on a loopback
port, writing to the project's event store; events are then read back with `tallyflow query`."""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import orjson
import pytest

import tallyflow
from tallyflow.project import Project
from tests.collect.intake_fixtures import make_project

pytestmark = pytest.mark.slow
GOOD = {"$schema": "/test/0.0.2", "meta": {"stream": "test.event"}, "test": "a"}
ENV = {**os.environ, "PYTHONPATH": str(Path(tallyflow.__file__).parents[1])}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_listening(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("the intake did not start listening")


def start(project: Project, port: int, *extra: str) -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        "-m",
        "tallyflow",
        "serve",
        "intake",
        "-p",
        str(project.root),
        "--port",
        str(port),
        *extra,
    ]
    process = subprocess.Popen(command, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    wait_listening(port, process)
    return process


def query(project: Project, sql: str, *, check: bool = True) -> list[list[str]] | None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tallyflow",
            "query",
            "-p",
            str(project.root),
            "--format",
            "tsv",
            sql,
        ],
        env=ENV,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if not check and result.returncode != 0:
        return None
    assert result.returncode == 0, result.stderr
    return [line.split("\t") for line in result.stdout.splitlines()[1:]]


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return make_project(tmp_path / "p")


@pytest.fixture
def port() -> Iterator[int]:
    yield free_port()


def test_serve_accepts_events_and_stops_cleanly_on_sigterm(project: Project, port: int) -> None:
    process = start(project, port)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
            ok = client.post(
                "/v1/events",
                content=orjson.dumps([GOOD, GOOD]),
                headers={"content-type": "application/json"},
            )
            assert ok.status_code == 201
            assert ok.headers["access-control-allow-origin"] == "*"
            bad = client.post(
                "/v1/events", content=b"{oops", headers={"content-type": "application/json"}
            )
            assert bad.status_code == 400
            invalid = client.post(
                "/v1/events",
                content=orjson.dumps({**GOOD, "test": 1}),
                headers={"content-type": "application/json"},
            )
            assert invalid.status_code == 400
            assert client.get("/_info").json()["name"] == "tallyflow"
        # visible to another process while the intake runs (after events.flush_interval)
        deadline = time.monotonic() + 20
        while query(project, "select count(*) from event.test_event", check=False) != [["2"]]:
            assert time.monotonic() < deadline, "events did not reach the store"
            time.sleep(0.5)
    finally:
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err.decode()
    assert b"listening on http://127.0.0.1:" in out
    assert query(project, "select test, test_default from event.test_event") == [
        ["a", "default_value"],
        ["a", "default_value"],
    ]
    errors = query(
        project,
        "select errored_stream_name, message from "
        "event.eventgate_analytics_external_error_validation",
    )
    assert errors == [["test.event", "'.test' should be string"]]


def test_two_workers_share_the_port(project: Project, port: int) -> None:
    process = start(project, port, "--workers", "2")
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
            for _ in range(20):
                response = client.post(
                    "/v1/events", content=orjson.dumps(GOOD), headers={"content-type": "text/plain"}
                )
                assert response.status_code == 201
    finally:
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=60)
    assert process.returncode == 0, err.decode()
    assert query(project, "select count(*) from event.test_event") == [["20"]]


def test_port_in_use_is_a_clear_error(project: Project) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "tallyflow",
                "serve",
                "intake",
                "-p",
                str(project.root),
                "--port",
                str(port),
            ],
            env=ENV,
            capture_output=True,
            timeout=60,
        )
    assert result.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}: Address already in use" in result.stderr.decode()
    assert "--port" in result.stderr.decode()


def test_bad_stream_config_stops_before_serving(project: Project, port: int) -> None:
    (project.root / "streams.yaml").write_text("test.event:\n  schema_titel: test\n")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tallyflow",
            "serve",
            "intake",
            "-p",
            str(project.root),
            "--port",
            str(port),
            "--workers",
            "2",
        ],
        env=ENV,
        capture_output=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "did you mean 'schema_title'?" in result.stderr.decode()


def test_kill_9_mid_load_keeps_every_acknowledged_event_exactly_once(
    project: Project, port: int
) -> None:
    """Acknowledged (201) events survive SIGKILL of the intake; the next start replays the log."""
    process = start(project, port)
    acknowledged = 0
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
            while acknowledged < 2_000:
                batch = [{**GOOD, "test": f"e{acknowledged + i}"} for i in range(10)]
                answer = client.post(
                    "/v1/events",
                    content=orjson.dumps(batch),
                    headers={"content-type": "application/json"},
                )
                assert answer.status_code == 201
                acknowledged += len(batch)
    finally:
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=60)
    restarted = start(project, port)  # start-up turns the dead process's log into Parquet
    restarted.send_signal(signal.SIGTERM)
    restarted.communicate(timeout=60)
    assert restarted.returncode == 0
    counts = query(project, "select count(*), count(distinct test) from event.test_event")
    assert counts == [[str(acknowledged), str(acknowledged)]]
    assert list((project.store_root / "wal").glob("*.log")) == []
