"""End to end, as a new user runs it: `tallyflow serve statsd` and `tallyflow serve carbon` as
processes, the `statsd` client library sending, a real carbon-cache (PyPI carbon + whisper)
receiving our Graphite output, and Debian's prometheus scraping our /metrics."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import statsd
import whisper

from tests.conftest import skip_unless_ci

pytestmark = pytest.mark.slow
CARBON_CACHE = Path(sys.executable).parent / "carbon-cache.py"


def free_port(kind: int = socket.SOCK_STREAM) -> int:
    with socket.socket(socket.AF_INET, kind) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def eventually(check: Callable[[], object], timeout: float = 30.0) -> object:
    deadline = time.monotonic() + timeout
    while True:
        try:
            result = check()
            if result:
                return result
        except (OSError, ValueError, KeyError):
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"not true after {timeout}s: {check}")
        time.sleep(0.2)


def listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _bind_fails(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return True
        return False


def tallyflow(project: Path, *args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2] / "src")}
    return subprocess.Popen(
        [sys.executable, "-m", "tallyflow", *args, "-p", str(project)],
        env=env,
        stderr=subprocess.PIPE,
    )


def stop(process: subprocess.Popen[bytes]) -> tuple[int, str]:
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=30)
    return process.returncode, err.decode()


@pytest.fixture
def carbon_cache(tmp_path: Path) -> Iterator[tuple[int, Path]]:
    """A real carbon-cache on loopback; yields its line port and whisper directory."""
    if not CARBON_CACHE.exists():
        skip_unless_ci("PyPI carbon is not installed (pip install carbon)")
    root = tmp_path / "graphite"
    (root / "conf").mkdir(parents=True)
    port, pickle_port, query_port = free_port(), free_port(), free_port()
    storage = root / "storage"
    (root / "conf" / "carbon.conf").write_text(
        f"[cache]\nSTORAGE_DIR = {storage}\nLOCAL_DATA_DIR = {storage}/whisper\n"
        f"WHITELISTS_DIR = {storage}/lists\nCONF_DIR = {root}/conf\nLOG_DIR = {storage}/log\n"
        f"PID_DIR = {storage}\nENABLE_LOGROTATION = False\nUSER =\nMAX_CACHE_SIZE = inf\n"
        "MAX_UPDATES_PER_SECOND = 500\nMAX_CREATES_PER_MINUTE = inf\n"
        f"LINE_RECEIVER_INTERFACE = 127.0.0.1\nLINE_RECEIVER_PORT = {port}\n"
        f"ENABLE_UDP_LISTENER = False\nPICKLE_RECEIVER_INTERFACE = 127.0.0.1\n"
        f"PICKLE_RECEIVER_PORT = {pickle_port}\nCACHE_QUERY_INTERFACE = 127.0.0.1\n"
        f"CACHE_QUERY_PORT = {query_port}\nUSE_FLOW_CONTROL = True\nENABLE_TAGS = False\n"
    )
    (root / "conf" / "storage-schemas.conf").write_text(
        "[stats]\npattern = ^stats.*\nretentions = 1s:1h,1m:1d\n"
        "[default]\npattern = .*\nretentions = 10s:1d\n"
    )
    process = subprocess.Popen(
        [str(CARBON_CACHE), f"--config={root}/conf/carbon.conf", "--nodaemon", "start"],
        env={**os.environ, "GRAPHITE_ROOT": str(root)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        eventually(lambda: listening(port))
        yield port, storage / "whisper"
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_new_user_counter_reaches_series_store_and_real_carbon(
    project_dir: Path, carbon_cache: tuple[int, Path]
) -> None:
    carbon_port, carbon_whisper = carbon_cache
    port = free_port(socket.SOCK_DGRAM)
    (project_dir / "tallyflow.yaml").write_text(
        "statsd:\n  admin_port: null\n  flush_interval: 60\n"
        # the finest archive must match the flush interval, or later flushes overwrite earlier
        "series:\n  schemas: [{name: all, pattern: '.*', retentions: '1s:1h'}]\n"
    )
    server = tallyflow(
        project_dir,
        "serve",
        "statsd",
        "--port",
        str(port),
        "--flush-interval",
        "1",
        "--graphite",
        f"127.0.0.1:{carbon_port}",
    )
    store = project_dir / ".tallyflow" / "whisper"
    try:
        eventually(lambda: _bind_fails(port))
        client = statsd.StatsClient("127.0.0.1", port)
        client.incr("x")
        client.close()
        counts = store / "stats_counts" / "x.wsp"
        eventually(counts.exists)
        eventually((carbon_whisper / "stats_counts" / "x.wsp").exists)
        carbon_counts = str(carbon_whisper / "stats_counts" / "x.wsp")
        eventually(lambda: 1.0 in whisper.fetch(carbon_counts, int(time.time()) - 300)[1])
    finally:
        code, err = stop(server)
    assert code == 0, err
    assert f"statsd: UDP 127.0.0.1:{port}" in err and "sink: graphite" in err
    assert "flush every 1s" in err  # the flag wins over tallyflow.yaml
    _, values = whisper.fetch(str(counts), int(time.time()) - 300)
    assert sum(v for v in values if v) == 1
    assert (store / "stats" / "x.wsp").exists()


def test_serve_carbon_writes_plaintext_into_the_store(project_dir: Path) -> None:
    port = free_port()
    server = tallyflow(project_dir, "serve", "carbon", "--port", str(port))
    now = int(time.time()) // 600 * 600
    try:
        eventually(lambda: listening(port))
        with socket.create_connection(("127.0.0.1", port)) as conn:
            conn.sendall(f"reports.edits.daily 42 {now}\n".encode())
        target = project_dir / ".tallyflow" / "whisper" / "reports" / "edits" / "daily.wsp"
        eventually(target.exists)
    finally:
        code, err = stop(server)
    assert code == 0, err
    assert 42.0 in whisper.fetch(str(target), now - 60, now + 60)[1]


def test_flags_errors_exit_2(project_dir: Path) -> None:
    bad = tallyflow(project_dir, "serve", "statsd", "--graphite", "nohostport")
    _, err = bad.communicate(timeout=30)
    assert bad.returncode == 2 and "expected HOST:PORT" in err.decode()


def test_real_prometheus_scrapes_metrics(project_dir: Path, tmp_path: Path) -> None:
    binary = shutil.which("prometheus")
    if binary is None:
        skip_unless_ci("Debian's prometheus is not installed (apt-get install prometheus)")
    port, metrics_port, prom_port = free_port(socket.SOCK_DGRAM), free_port(), free_port()
    (project_dir / "tallyflow.yaml").write_text(
        "statsd:\n  admin_port: null\n  series_store: false\n"
        "prometheus:\n  mappings:\n"
        '    - match: "shop.*.checkout.*"\n      name: shop_checkout_total\n'
        '      labels: {shop: "$1", outcome: "$2"}\n'
    )
    config = tmp_path / "prometheus.yml"
    config.write_text(
        "global: {scrape_interval: 1s}\nscrape_configs:\n  - job_name: tallyflow\n"
        f"    static_configs: [{{targets: ['127.0.0.1:{metrics_port}']}}]\n"
    )
    server = tallyflow(
        project_dir,
        "serve",
        "statsd",
        "--port",
        str(port),
        "--flush-interval",
        "0.5",
        "--prometheus-port",
        str(metrics_port),
    )
    prometheus = subprocess.Popen(
        [
            binary,
            f"--config.file={config}",
            f"--storage.tsdb.path={tmp_path / 'tsdb'}",
            f"--web.listen-address=127.0.0.1:{prom_port}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        eventually(lambda: listening(metrics_port))
        eventually(lambda: _bind_fails(port))
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            for line in (b"shop.berlin.checkout.success:1|c", b"pageviews:2|c|#page:home"):
                sock.sendto(line, ("127.0.0.1", port))
                sock.sendto(line, ("127.0.0.1", port))

        def query(expr: str) -> list[dict[str, object]]:
            url = f"http://127.0.0.1:{prom_port}/api/v1/query?query={expr}"
            with urllib.request.urlopen(url, timeout=5) as response:
                result: list[dict[str, object]] = json.load(response)["data"]["result"]
            return result

        shop = eventually(lambda: query("shop_checkout_total"), timeout=60)
        assert shop[0]["metric"]["shop"] == "berlin"  # type: ignore[index]
        assert shop[0]["metric"]["outcome"] == "success"  # type: ignore[index]
        assert shop[0]["value"][1] == "2"  # type: ignore[index]
        views = eventually(lambda: query("sum%20by%20(page)%20(pageviews)"))
        assert views[0]["metric"] == {"page": "home"} and views[0]["value"][1] == "4"  # type: ignore[index]
        up = query("up")
        assert up[0]["value"][1] == "1"  # type: ignore[index]
    finally:
        prometheus.terminate()
        prometheus.wait(timeout=30)
        code, err = stop(server)
    assert code == 0, err


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if stat.read_text().rsplit(")", 1)[1].split()[1] == str(pid):
                found.append(int(stat.parent.name))
        except OSError:
            continue
    return found


def test_lost_receive_process_is_an_error_not_a_silent_hang(project_dir: Path) -> None:
    (project_dir / "tallyflow.yaml").write_text("statsd:\n  admin_port: null\n")
    server = tallyflow(project_dir, "serve", "statsd", "--port", str(free_port(socket.SOCK_DGRAM)))
    receiver = eventually(lambda: children(server.pid))
    os.kill(receiver[0], signal.SIGKILL)  # type: ignore[index]
    _, err = server.communicate(timeout=30)
    assert server.returncode == 1
    assert "receive process ended unexpectedly" in err.decode()
