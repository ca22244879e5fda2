"""Starlette routes answering like graphite-web, for mounting in the web UI.

Input: HTTP requests as Grafana's Graphite datasource sends them (GET query strings or POST
url-encoded forms). Output: `/render` (format=json; `target` repeatable, `from`, `until`,
`now`, `maxDataPoints`, `noNullPoints`, `xFilesFactor`), `/metrics/find` (treejson) and
`/metrics/expand`. A bad target or parameter answers 400 with a plain-text message, as
graphite-web does; an unreadable whisper file answers 500.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qsl

import orjson
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MultiDict
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from tallyflow.clock import Clock, SystemClock
from tallyflow.errors import QueryError, StoreError, TallyflowError
from tallyflow.store.series import series_root
from tallyflow.visualize.graphite.evaluate import render
from tallyflow.visualize.graphite.finder import expand, find
from tallyflow.visualize.graphite.output import expand_json, find_json, render_json
from tallyflow.visualize.graphite.timespec import parse_time

FORM = "application/x-www-form-urlencoded"


async def _params(request: Request) -> MultiDict:
    """Query string and url-encoded form fields together (graphite-web merges GET and POST)."""
    items = list(request.query_params.multi_items())
    if request.method == "POST":
        kind = request.headers.get("content-type", "").split(";")[0].strip()
        body = await request.body()
        if body and kind not in ("", FORM):
            raise QueryError(f"unsupported request body {kind!r}: send form fields url-encoded")
        items += parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
    return MultiDict(items)


def _flag(params: MultiDict, name: str) -> bool:
    return params.get(name, "0").lower() not in ("0", "false", "")


def _fraction(text: str) -> float:
    try:
        value = float(text or 0)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 1:
        raise QueryError(f"xFilesFactor {text!r} is not a number from 0 to 1")
    return value


def _json(data: object) -> Response:
    headers = {"Cache-Control": "no-cache", "Pragma": "no-cache"}
    return Response(orjson.dumps(data), media_type="application/json", headers=headers)


def _error(error: TallyflowError) -> Response:
    text = error.message + (f"\n{error.hint}" if error.hint else "") + "\n"
    return PlainTextResponse(text, status_code=500 if isinstance(error, StoreError) else 400)


def routes(store_root: Path, clock: Clock | None = None) -> list[Route]:
    """`/render`, `/metrics/find` and `/metrics/expand` over `series_root(store_root)`."""
    root = series_root(store_root)
    clock = clock or SystemClock()

    async def render_view(request: Request) -> Response:
        try:
            params = await _params(request)
            if params.get("format", "json") != "json":
                raise QueryError(
                    f"format {params['format']!r} is not supported", hint="use format=json"
                )
            now = int(clock.now().timestamp())
            if "now" in params:
                now = parse_time(params["now"], now)
            start = parse_time(params.get("from", "-1d"), now)
            end = parse_time(params.get("until", "now"), now)
            targets = params.getlist("target") or params.getlist("target[]")
            xff = _fraction(params.get("xFilesFactor", "0"))
            series = await run_in_threadpool(
                render, root, targets, start, end, now=now, xfiles_factor=xff
            )
            max_points = params.get("maxDataPoints", "")
            body = render_json(
                series,
                int(max_points) if max_points.isdigit() else None,
                no_null_points="noNullPoints" in params,
            )
        except TallyflowError as error:
            return _error(error)
        return _json(body)

    async def find_view(request: Request) -> Response:
        try:
            params = await _params(request)
        except TallyflowError as error:
            return _error(error)
        query = params.get("query", "")
        if not query:
            return PlainTextResponse("Missing required parameter 'query'\n", status_code=400)
        if params.get("format", "treejson") != "treejson":
            return PlainTextResponse("Invalid value for 'format' parameter\n", status_code=400)
        nodes = await run_in_threadpool(find, root, query)
        return _json(find_json(nodes, query))

    async def expand_view(request: Request) -> Response:
        try:
            params = await _params(request)
        except TallyflowError as error:
            return _error(error)
        queries = params.getlist("query")
        leaves_only = _flag(params, "leavesOnly")
        expanded = await run_in_threadpool(lambda: expand(root, queries, leaves_only=leaves_only))
        return _json(expand_json(expanded, _flag(params, "groupByExpr")))

    methods = ["GET", "POST"]
    return [
        Route("/render", render_view, methods=methods),
        Route("/metrics/find", find_view, methods=methods),
        Route("/metrics/expand", expand_view, methods=methods),
    ]
