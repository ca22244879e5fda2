"""A real graphite-web (PyPI graphite-web 1.1.10 with Django 3.0, in its own virtualenv
`.venv-graphite-web`, made by `make test`) renders our whisper directory as it is."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tallyflow.collect.statsd_aggregate import Aggregator
from tallyflow.collect.statsd_flush import graphite_points
from tallyflow.project import SeriesSettings, StatsdSettings
from tallyflow.store.series import SeriesStore, series_root
from tests.conftest import skip_unless_ci

pytestmark = pytest.mark.slow
VENV = Path(os.environ.get("GRAPHITE_WEB_VENV", Path(__file__).parents[2] / ".venv-graphite-web"))


def test_graphite_web_renders_a_statsd_flush_from_our_store(tmp_path: Path) -> None:
    django_admin = VENV / "bin" / "django-admin"
    if not django_admin.exists():
        skip_unless_ci(f"graphite-web virtualenv missing: {VENV} (make test creates it)")
    store_root = tmp_path / "store"
    aggregator = Aggregator(StatsdSettings())
    aggregator.ingest([b"e2e.hits:1|c", b"e2e.hits:1|c", b"e2e.hits:5|c", b"e2e.lat:20|ms"])
    now = int(time.time()) // 10 * 10
    points = graphite_points(aggregator.snapshot(now), aggregator.settings)
    SeriesStore(series_root(store_root), SeriesSettings()).write(points)

    (store_root / "log" / "webapp").mkdir(parents=True)
    (tmp_path / "gw_local.py").write_text(
        'SECRET_KEY = "test"\nALLOWED_HOSTS = ["127.0.0.1"]\nTIME_ZONE = "UTC"\n'
        "CARBONLINK_HOSTS = []\n"
    )
    env = {
        **os.environ,
        "GRAPHITE_STORAGE_DIR": str(store_root),  # WHISPER_DIR = <store>/whisper
        "GRAPHITE_CONF_DIR": str(tmp_path),
        "GRAPHITE_SETTINGS_MODULE": "gw_local",
        "PYTHONPATH": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "graphite.settings",
    }
    # `python -m django`, not the django-admin script: a script from pip's wheel cache may carry
    # the shebang of the virtualenv it was first built in.
    django = [str(VENV / "bin" / "python"), "-m", "django"]
    subprocess.run([*django, "migrate", "--run-syncdb", "-v0"], env=env, check=True)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [*django, "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = (
            f"http://127.0.0.1:{port}/render?format=json&from=-5min"
            "&target=stats_counts.e2e.hits&target=stats.timers.e2e.lat.mean"
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    series = json.load(response)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
    finally:
        server.terminate()
        server.wait(timeout=30)
    values = {s["target"]: {ts: v for v, ts in s["datapoints"] if v is not None} for s in series}
    assert values == {
        "stats_counts.e2e.hits": {now: 7.0},
        "stats.timers.e2e.lat.mean": {now: 20.0},
    }
