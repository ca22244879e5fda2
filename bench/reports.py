"""Benchmark: a 30-day backfill of three typical reports, DuckDB engine vs Spark local.

Generates a store of `--per-day` events per day (default 1,000,000) for `--days` days (default
30) with pyarrow (vectorised), then runs `tallyflow reports run`'s runner twice over the same
files, once per engine, and prints the total times, the ratio, and whether both engines wrote
identical TSV. Reports: a count by wiki and edit-count bucket, a per-session de-duplication with
ROW_NUMBER(), and a ratio of toggles per pageview.

    PYTHONPATH=src python bench/reports.py [--days 30] [--per-day 1000000] [--jobs 1]
        [--engines duckdb,spark] [--data DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from tallyflow.aggregate.runner import ReportRunner, RunOptions
from tallyflow.store.layout import partition_dir

START = dt.date(2021, 6, 1)
WIKIS = [
    f"{code}wiki"
    for code in (
        "en",
        "de",
        "fr",
        "es",
        "ja",
        "ru",
        "it",
        "zh",
        "pt",
        "pl",
        "nl",
        "sv",
        "uk",
        "vi",
        "fa",
        "ar",
        "he",
        "id",
        "ko",
        "cs",
    )
]
BUCKETS = ["0 edits", "1-4 edits", "5-99 edits", "100-999 edits", "1000+ edits", None]
ACTIONS = ["pageview", "pageview", "pageview", "toggle", "save"]

CONFIG = """
reports:
  by_wiki_bucket:
    type: hive
    granularity: days
    starts: {start}
  sessions:
    type: hive
    granularity: days
    starts: {start}
  toggles_per_pageview:
    type: hive
    granularity: days
    starts: {start}
"""
PARTITION = "year = {year} AND month = {month} AND day = {day}"
QUERIES = {
    "by_wiki_bucket": f"""
SELECT '{{from_date}}' AS `date`, wiki, event.user_edit_count_bucket AS bucket, COUNT(1) AS events
FROM event.benchusage
WHERE {PARTITION} AND NOT useragent.is_bot
GROUP BY wiki, event.user_edit_count_bucket
ORDER BY wiki, bucket
""",
    "sessions": f"""
WITH ranked AS (
    SELECT wiki, event.enabled AS enabled,
        ROW_NUMBER() OVER (PARTITION BY event.session_token ORDER BY dt DESC) AS rn
    FROM event.benchusage
    WHERE {PARTITION}
)
SELECT '{{from_date}}' AS `date`, wiki, SUM(IF(enabled, 1, 0)) AS enabled_sessions,
    COUNT(1) AS sessions
FROM ranked WHERE rn = 1
GROUP BY wiki ORDER BY wiki
""",
    "toggles_per_pageview": f"""
SELECT '{{from_date}}' AS `date`, wiki,
    ROUND(SUM(IF(event.action = 'toggle', 1, 0)) / SUM(IF(event.action = 'pageview', 1, 0)), 6)
        AS toggles_per_pageview
FROM event.benchusage
WHERE {PARTITION}
GROUP BY wiki ORDER BY wiki
""",
}


def _choice(rng: np.random.Generator, values: list[str | None], n: int) -> pa.Array:
    indices = pa.array(rng.integers(0, len(values), n, dtype=np.int32))
    return pa.DictionaryArray.from_arrays(indices, pa.array(values, pa.string())).cast(pa.string())


def day_table(day: dt.date, n: int, seed: int) -> pa.Table:
    rng = np.random.default_rng(seed)
    seconds = np.sort(rng.integers(0, 86400, n))
    base = np.datetime64(day.isoformat(), "s")
    stamps = pa.array(base + seconds.astype("timedelta64[s]"), pa.timestamp("s"))
    dts = pc.strftime(stamps, format="%Y-%m-%dT%H:%M:%SZ")
    sessions = pc.binary_join_element_wise(
        pa.array(np.full(n, f"{day:%m%d}-")),
        pc.cast(pa.array(rng.integers(0, n // 5, n)), pa.string()),
        "",
    )
    event = pa.StructArray.from_arrays(
        [
            _choice(rng, ACTIONS, n),  # type: ignore[arg-type]
            pa.array(rng.random(n) < 0.4),
            sessions,
            pa.array(rng.random(n) < 0.05),
            _choice(rng, BUCKETS, n),
        ],
        names=["action", "enabled", "session_token", "toggled", "user_edit_count_bucket"],
    )
    useragent = pa.StructArray.from_arrays(
        [pa.array(rng.random(n) < 0.02), _choice(rng, ["Firefox", "Chrome", "Safari"], n)],  # type: ignore[arg-type]
        names=["is_bot", "browser_family"],
    )
    return pa.table(
        {
            "dt": dts,
            "wiki": _choice(rng, WIKIS, n),  # type: ignore[arg-type]
            "useragent": useragent,
            "event": event,
            "hour": pa.array(seconds // 3600),
        }
    )


def generate(store: Path, days: int, per_day: int) -> float:
    started = time.perf_counter()
    for offset in range(days):
        day = START + dt.timedelta(days=offset)
        table = day_table(day, per_day, seed=offset)
        hours = table.column("hour").to_numpy()
        bounds = np.searchsorted(hours, np.arange(25))
        data = table.drop_columns(["hour"])
        for hour in range(24):
            lo, hi = int(bounds[hour]), int(bounds[hour + 1])
            when = dt.datetime(day.year, day.month, day.day, hour)
            directory = partition_dir(store, "benchusage", when)
            directory.mkdir(parents=True, exist_ok=True)
            pq.write_table(data.slice(lo, hi - lo), directory / "part-0.parquet")
    return time.perf_counter() - started


def query_folder(root: Path) -> Path:
    folder = root / "queries"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.yaml").write_text(CONFIG.format(start=START.isoformat()))
    for name, text in QUERIES.items():
        (folder / f"{name}.hql").write_text(text)
    return folder


def backfill(folder: Path, store: Path, out: Path, engine: str, days: int, jobs: int) -> float:
    if out.exists():
        shutil.rmtree(out)
    now = dt.datetime.combine(START + dt.timedelta(days=days), dt.time())
    options = RunOptions(now=now, engine=engine, no_graphite=True, jobs=jobs)
    started = time.perf_counter()
    summary = ReportRunner(folder, out, options, store_root=store).run()
    elapsed = time.perf_counter() - started
    if summary.failed:
        sys.exit(f"{engine}: reports failed: {summary.reports}")
    computed = sum(r.computed for r in summary.reports.values())
    if computed != 3 * days:
        sys.exit(f"{engine}: computed {computed} intervals, expected {3 * days}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--per-day", type=int, default=1_000_000)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--engines", default="duckdb,spark")
    parser.add_argument("--data", type=Path, help="keep the generated store here (reused)")
    args = parser.parse_args()
    root = args.data or Path(tempfile.mkdtemp(prefix="tallyflow-bench-"))
    store = root / "store"
    if not (store / "events").is_dir():
        seconds = generate(store, args.days, args.per_day)
        print(f"generated {args.days} days x {args.per_day:,} events in {seconds:.1f} s")
    folder = query_folder(root)
    times: dict[str, float] = {}
    outputs: dict[str, dict[str, str]] = {}
    for engine in args.engines.split(","):
        out = root / f"out-{engine}"
        times[engine] = backfill(folder, store, out, engine, args.days, args.jobs)
        outputs[engine] = {p.name: p.read_text() for p in sorted(out.glob("*.tsv"))}
        print(f"{engine}: {3 * args.days} intervals in {times[engine]:.1f} s")
    if "duckdb" in times and "spark" in times:
        print(f"spark / duckdb: {times['spark'] / times['duckdb']:.1f}x")
        same = outputs["duckdb"] == outputs["spark"]
        print(f"identical TSV from both engines: {'yes' if same else 'NO'}")
    print("command: PYTHONPATH=src python bench/reports.py " + " ".join(sys.argv[1:]))
    if args.data is None:
        shutil.rmtree(root)


if __name__ == "__main__":
    main()
