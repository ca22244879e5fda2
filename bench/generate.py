"""Event generator throughput: events/s generated, generated + written to the store (Parquet),
and generated + serialised as JSON lines, for the legacy capsule schema codemirrorusage.

    PYTHONPATH=src python bench/generate.py [--per-day 200000] [--days 5]

Prints one line per path; figures go to docs/performance.md ("## Event generator").
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from tallyflow.collect.streams import parse_streams
from tallyflow.schemas.generate.outputs import write_jsonl
from tallyflow.schemas.generate.store import StoreWriter
from tallyflow.schemas.generate.traffic import StreamPlan, generate, plan_stream
from tallyflow.schemas.repository import SchemaRepository
from tallyflow.store.events import EventStore
from tallyflow.yamlfile import Locations

SCHEMAS = Path(__file__).parents[1] / "tests" / "fixtures" / "schemas"
STREAM = "eventlogging_CodeMirrorUsage"


def codemirror() -> StreamPlan:
    config = {STREAM: {"schema_title": "analytics/legacy/codemirrorusage"}}
    streams = parse_streams(config, Locations(Path("streams.yaml")))
    return plan_stream(STREAM, streams, SchemaRepository([SCHEMAS]))


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def timed(label: str, events: int, work: Callable[[], object], repeat: int) -> None:
    """Run `work` `repeat` times; print the best and median wall-clock rate and the rate per
    CPU-second of this process (all threads), which other load on the machine barely moves."""
    walls, cpus = [], []
    for _ in range(repeat):
        began, cpu = time.perf_counter(), _cpu()
        work()
        walls.append(time.perf_counter() - began)
        cpus.append(_cpu() - cpu)
    best, median, cpu_best = min(walls), statistics.median(walls), min(cpus)
    print(
        f"{label:<33} {events:>9,} events  wall best {events / best:>9,.0f}/s "
        f"median {events / median:>9,.0f}/s  per CPU-second {events / cpu_best:>9,.0f}/s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--per-day", type=int, default=200_000)
    parser.add_argument("--days", type=int, default=5)
    parser.add_argument("--jsonl-events", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    plan = codemirror()
    start = date(2026, 1, 1)
    end = start + timedelta(days=args.days - 1)
    total = args.per_day * args.days
    print(f"command: PYTHONPATH=src {sys.executable} {' '.join(sys.argv)}")
    print(f"machine: {os.cpu_count()} cores; schema {plan.schema_uri}; no sampling")
    list(generate(plan, start, start, 1000, 0))  # warm-up: imports, ua-parser regexes

    def columns_only() -> int:
        return sum(len(b.events) for b in generate(plan, start, end, args.per_day, 1))

    def jsonl() -> None:
        batches = generate(plan, start, start, args.jsonl_events, 1)
        write_jsonl(((plan, b) for b in batches), io.BytesIO())

    timed("generated (columns only)", total, columns_only, args.repeat)

    def stored() -> None:
        store = Path(tempfile.mkdtemp(prefix="tallyflow-bench-"))
        try:
            repository = SchemaRepository([SCHEMAS])
            writer = StoreWriter(lambda: EventStore(store, repository), {STREAM: plan.schema_uri})
            writer.write(generate(plan, start, end, args.per_day, 1))
        finally:
            shutil.rmtree(store)

    timed("generated + written to the store", total, stored, args.repeat)
    timed("generated + JSON lines", args.jsonl_events, jsonl, args.repeat)


if __name__ == "__main__":
    main()
