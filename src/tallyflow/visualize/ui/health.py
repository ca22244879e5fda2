"""Health and self-metrics of the stages (visualize stage: the stage file of `tallyflow up` in,
`/healthz` JSON and `/metrics` Prometheus text out).

`tallyflow up` writes what runs where into a JSON file named by TALLYFLOW_UP_STAGES. Each stage
is checked live: the intake's `/_metrics` (HTTP), StatsD's admin `health` and `stats` (TCP),
carbon (TCP connect), and the scheduler through its run history files (the last run per query
folder and its failed reports). A stage is down when it does not answer, or, for the scheduler,
when no folder has run for two intervals plus five minutes since `up` started.
"""

from __future__ import annotations

import asyncio
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import orjson

from tallyflow.aggregate import history

STAGES_ENV = "TALLYFLOW_UP_STAGES"
TIMEOUT = 2.0


@dataclass
class StageHealth:
    name: str
    ok: bool
    detail: dict[str, Any] = field(default_factory=dict)
    metrics: list[str] = field(default_factory=list)
    """Prometheus text lines (samples and HELP/TYPE)."""


def load_stages() -> tuple[dict[str, Any], float] | None:
    """The stage file's content and its modification time, or None when not under `up`."""
    name = os.environ.get(STAGES_ENV)
    if not name:
        return None
    path = Path(name)
    try:
        return orjson.loads(path.read_bytes()), path.stat().st_mtime
    except (OSError, orjson.JSONDecodeError):
        return {}, time.time()


async def _tcp_talk(host: str, port: int, command: bytes | None) -> str:
    reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), TIMEOUT)
    try:
        if command is None:
            return ""
        writer.write(command)
        await writer.drain()
        chunks = []
        while True:
            chunk = await asyncio.wait_for(reader.read(65536), TIMEOUT)
            if not chunk:
                break
            chunks.append(chunk)
            text = b"".join(chunks)
            if text.endswith(b"END\n\n") or (command.startswith(b"health") and b"\n" in text):
                break
        return b"".join(chunks).decode("utf-8", "replace")
    finally:
        writer.close()


async def intake(stage: dict[str, Any]) -> StageHealth:
    url = str(stage["url"]).rstrip("/") + "/_metrics"
    try:
        async with httpx.AsyncClient(timeout=TIMEOUT) as client:
            response = await client.get(url)
    except httpx.HTTPError as error:
        return StageHealth("intake", False, {"url": url, "error": str(error) or repr(error)})
    ok = response.status_code == 200
    lines = response.text.splitlines() if ok else []
    return StageHealth("intake", ok, {"url": url, "status": response.status_code}, lines)


def _stats_metrics(stats: str) -> list[str]:
    wanted = {
        "uptime": ("tallyflow_statsd_uptime_seconds", "gauge"),
        "messages.last_msg_seen": ("tallyflow_statsd_last_message_age_seconds", "gauge"),
        "messages.bad_lines_seen": ("tallyflow_statsd_bad_lines_total", "counter"),
    }
    lines = []
    for line in stats.splitlines():
        key, _, value = line.partition(": ")
        if key in wanted:
            name, kind = wanted[key]
            lines += [f"# TYPE {name} {kind}", f"{name} {value.strip()}"]
    return lines


async def statsd(stage: dict[str, Any]) -> StageHealth:
    port = stage.get("admin_port")
    detail: dict[str, Any] = {"udp_port": stage.get("port"), "admin_port": port}
    if port is None:
        return StageHealth("statsd", True, {**detail, "note": "admin interface off: unchecked"})
    host = str(stage.get("admin_host") or "127.0.0.1")
    try:
        answer = await _tcp_talk(host, int(port), b"health\n")
        stats = await _tcp_talk(host, int(port), b"stats\n")
    except (OSError, TimeoutError) as error:
        return StageHealth("statsd", False, {**detail, "error": str(error) or repr(error)})
    health = answer.strip().removeprefix("health:").strip()
    return StageHealth(
        "statsd", health == "up", {**detail, "health": health}, _stats_metrics(stats)
    )


async def carbon(stage: dict[str, Any]) -> StageHealth:
    detail = {"port": stage.get("port")}
    try:
        await _tcp_talk(str(stage.get("host") or "127.0.0.1"), int(stage["port"]), None)
    except (OSError, TimeoutError) as error:
        return StageHealth("carbon", False, {**detail, "error": str(error) or repr(error)})
    return StageHealth("carbon", True, detail)


def scheduler(stage: dict[str, Any], since: float, now: float) -> StageHealth:
    """Last run and failures per query folder, from `<store>/reports/*/.tallyflow-runs.jsonl`."""
    root = Path(str(stage.get("reports", "")))
    every = float(stage.get("every") or 3600.0)
    folders: dict[str, Any] = {}
    metrics = [
        "# TYPE tallyflow_scheduler_runs_total counter",
        "# TYPE tallyflow_scheduler_failed_runs_total counter",
        "# TYPE tallyflow_scheduler_last_run_timestamp_seconds gauge",
    ]
    latest = 0.0
    for output in sorted(p for p in root.glob("*") if p.is_dir()) if root.is_dir() else []:
        runs = history.read(output)
        if not runs:
            continue
        last = runs[-1]
        finished = _timestamp(last.finished)
        latest = max(latest, finished)
        failed = sum(report.failed for report in last.reports.values())
        errors = [e for report in last.reports.values() for e in report.errors][:3]
        folders[output.name] = {"last_run": last.finished, "failed": failed, "errors": errors}
        label = f'{{folder="{output.name}"}}'
        metrics += [
            f"tallyflow_scheduler_runs_total{label} {len(runs)}",
            f"tallyflow_scheduler_failed_runs_total{label} {sum(run.failed for run in runs)}",
            f"tallyflow_scheduler_last_run_timestamp_seconds{label} {finished:.0f}",
        ]
    allowed = 2 * every + 300
    ok = now - max(latest, since) < allowed
    detail = {"every_s": every, "folders": folders}
    return StageHealth("scheduler", ok, detail, metrics)


def _timestamp(iso: str) -> float:
    from datetime import datetime

    try:
        return datetime.fromisoformat(iso).timestamp()
    except ValueError:
        return 0.0


async def check(stages: dict[str, Any], since: float) -> list[StageHealth]:
    """Every stage of the stage file, checked concurrently."""
    checks = []
    if "intake" in stages:
        checks.append(intake(stages["intake"]))
    if "statsd" in stages:
        checks.append(statsd(stages["statsd"]))
    if "carbon" in stages:
        checks.append(carbon(stages["carbon"]))
    results = list(await asyncio.gather(*checks))
    if "scheduler" in stages:
        results.append(scheduler(stages["scheduler"], since, time.time()))
    return results


def prometheus_text(results: list[StageHealth], ui_uptime: float) -> str:
    lines = [
        "# HELP tallyflow_stage_up Whether a stage of `tallyflow up` answers (1) or not (0).",
        "# TYPE tallyflow_stage_up gauge",
    ]
    lines += [f'tallyflow_stage_up{{stage="{r.name}"}} {int(r.ok)}' for r in results]
    lines += [
        "# TYPE tallyflow_ui_uptime_seconds gauge",
        f"tallyflow_ui_uptime_seconds {ui_uptime:.0f}",
    ]
    for result in results:
        lines += result.metrics
    return "\n".join(lines) + "\n"
