"""`tallyflow events load`: JSON-lines files through the intake's processing into the store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from tallyflow import pipeline
from tallyflow.collect.process import EventProcessor, RequestContext
from tallyflow.errors import UsageError
from tallyflow.project import Project
from tallyflow.records import AcceptedEvent, IngestReceipt

BATCH = 10_000


def _lines(path: Path) -> Iterator[tuple[int, bytes]]:
    try:
        with open(path, "rb") as source:
            for number, line in enumerate(source, start=1):
                if line.strip():
                    yield number, line
    except OSError as error:
        raise UsageError(f"{path}: cannot be read: {error}") from None


def load_files(
    project: Project, files: tuple[Path, ...], show: int
) -> tuple[IngestReceipt, list[str]]:
    """Process every line of `files`; returns the receipt and up to `show` failure messages."""
    processor = EventProcessor.from_project(project)
    store = pipeline.event_store(project)
    receipt = IngestReceipt()
    failures: list[str] = []
    pending: list[AcceptedEvent] = []
    context = RequestContext.now()
    for path in files:
        for number, line in _lines(path):
            try:
                event: Any = orjson.loads(line)
            except orjson.JSONDecodeError as error:
                receipt.count("error", None)
                if len(failures) < show:
                    failures.append(f"{path}:{number}: not JSON: {error}")
                continue
            processed = processor.process(event, context)
            outcome = processed.outcome
            receipt.count(outcome.status, outcome.stream)
            if outcome.status != "success" and len(failures) < show:
                detail = (outcome.context or {}).get("errorsText") or (outcome.context or {}).get(
                    "message"
                )
                failures.append(f"{path}:{number}: {outcome.status}: {detail}")
            if processed.stored is not None:
                pending.append(processed.stored)
            if len(pending) >= BATCH:
                store.write_batch(pending)
                pending = []
    if pending:
        store.write_batch(pending)
    return receipt, failures
