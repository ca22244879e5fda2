"""/healthz and /metrics of the web UI under `tallyflow up`: every stage in the stage file is
checked for real (closed ports are down), the scheduler is read from its run history."""

from __future__ import annotations

import datetime as dt
import socket
from pathlib import Path

import httpx
import orjson
import pytest

from tallyflow.aggregate import history
from tallyflow.project import load_project
from tallyflow.visualize.ui.app import create_app
from tallyflow.visualize.ui.health import STAGES_ENV

EXAMPLE = Path(__file__).parents[3] / "examples" / "codemirror"


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_a_stage_that_does_not_answer_makes_healthz_503(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reports = tmp_path / "reports"
    now = dt.datetime.now(dt.UTC)
    (reports / "codemirror").mkdir(parents=True)
    history.append(
        reports / "codemirror",
        history.RunRecord(
            "reports/codemirror",
            now.isoformat(),
            now.isoformat(),
            now.isoformat(),
            {"toggles": history.ReportRun(3, 0, 1, ["toggles 2026-11-01: boom"])},
        ),
    )
    with socket.create_server(("127.0.0.1", 0)) as carbon:
        stages = {
            "intake": {"url": f"http://127.0.0.1:{_closed_port()}"},
            "statsd": {"port": 1, "admin_host": "127.0.0.1", "admin_port": _closed_port()},
            "carbon": {"host": "127.0.0.1", "port": carbon.getsockname()[1]},
            "scheduler": {"reports": str(reports), "every": 30},
        }
        stage_file = tmp_path / "up.json"
        stage_file.write_bytes(orjson.dumps(stages))
        monkeypatch.setenv(STAGES_ENV, str(stage_file))
        app = create_app(load_project(EXAMPLE))
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://ui") as client:
            health = await client.get("/healthz")
            metrics = await client.get("/metrics")
    assert health.status_code == 503
    body = health.json()
    assert body["status"] == "down"
    assert {name: stage["ok"] for name, stage in body["stages"].items()} == {
        "intake": False,
        "statsd": False,
        "carbon": True,
        "scheduler": True,
    }
    folder = body["stages"]["scheduler"]["folders"]["codemirror"]
    assert folder["failed"] == 1 and folder["errors"] == ["toggles 2026-11-01: boom"]
    assert metrics.status_code == 200
    assert 'tallyflow_stage_up{stage="intake"} 0' in metrics.text
    assert 'tallyflow_stage_up{stage="carbon"} 1' in metrics.text
    assert 'tallyflow_scheduler_failed_runs_total{folder="codemirror"} 1' in metrics.text


async def test_without_up_healthz_answers_for_the_ui_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(STAGES_ENV, raising=False)
    transport = httpx.ASGITransport(app=create_app(load_project(EXAMPLE)))
    async with httpx.AsyncClient(transport=transport, base_url="http://ui") as client:
        response = await client.get("/healthz")
    assert response.status_code == 200 and response.json()["status"] == "ok"
    assert "stages" not in response.json()
