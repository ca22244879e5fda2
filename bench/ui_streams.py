"""Streams page cost: time to gather a time range's counts (`stream_activity`) on a store of
generated example traffic, the first time (every Parquet footer read) and again (footers
remembered, as the running UI does).

    PYTHONPATH=src python bench/ui_streams.py [--days 90] [--per-day 2000]

Prints one line per time range; figures go to docs/performance.md ("## Web UI: Streams page").
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tallyflow.project import load_project
from tallyflow.visualize.ui.streams import RowCounts, stream_activity

EXAMPLE = Path(__file__).parents[1] / "examples" / "codemirror"
STREAMS = ("codemirror.toggle", "reference_previews.baseline")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--per-day", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "codemirror"
        shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns(".tallyflow"))
        end = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=1)
        start = end - dt.timedelta(days=args.days)
        for stream in STREAMS:
            subprocess.run(
                [sys.executable, "-m", "tallyflow", "events", "generate", "--stream", stream,
                 "--start", start.isoformat(), "--end", end.isoformat(),
                 "--per-day", str(args.per_day), "-p", str(root)],
                check=True,
                capture_output=True,
            )  # fmt: skip
        project = load_project(root)
        files = sum(1 for _ in (project.store_root / "events").rglob("*.parquet"))
        print(f"store: {args.days} days x {len(STREAMS)} streams, {files} Parquet files")
        for hours in (24, 7 * 24, args.days * 24):
            counts = RowCounts()
            timings = []
            for _ in range(3):
                began = time.perf_counter()
                activity = stream_activity(
                    project, dt.datetime.now(dt.UTC), hours, row_counts=counts
                )
                timings.append(time.perf_counter() - began)
            print(
                f"{hours:5d} h: {activity.total(activity.accepted):7d} events, "
                f"first {timings[0]:.2f} s, again {min(timings[1:]):.2f} s"
            )


if __name__ == "__main__":
    main()
