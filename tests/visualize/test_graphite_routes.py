"""The routes answer Grafana's Graphite datasource requests like graphite-web, in process."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from tallyflow.clock import FixedClock
from tallyflow.visualize.graphite import routes
from tests.visualize.graphite_data import MINUTE, NOW, minutes_ago, write


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    write(
        tmp_path,
        {
            "app.hits.enwiki": minutes_ago(1, 2, 3),
            "app.hits.dewiki": minutes_ago(4, None, 6),
            "app.errors": minutes_ago(0, 1, 0),
        },
    )
    app = Starlette(routes=routes(tmp_path, FixedClock(datetime.fromtimestamp(NOW, UTC))))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://graphite") as client:
        yield client


async def test_render_get_with_relative_times(client: httpx.AsyncClient) -> None:
    response = await client.get(
        "/render",
        params={
            "target": "sumSeries(app.hits.*)",
            "from": "-3min",
            "until": "now",
            "format": "json",
        },
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == [
        {
            "target": "sumSeries(app.hits.*)",
            "tags": {"name": "sumSeries(app.hits.*)"},
            "datapoints": [[5.0, NOW - 2 * MINUTE], [2.0, NOW - MINUTE], [9.0, NOW]],
        }
    ]


async def test_render_post_form_as_grafana_sends_it(client: httpx.AsyncClient) -> None:
    form = [
        ("target", "aliasByNode(app.hits.*, 2)"),
        ("target", "alias(app.errors, 'errors')"),
        ("from", str(NOW - 3 * MINUTE)),
        ("until", str(NOW)),
        ("format", "json"),
        ("maxDataPoints", "1"),
    ]
    response = await client.post(
        "/render",
        content=str(httpx.QueryParams(form)),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 200
    assert [(s["target"], s["datapoints"]) for s in response.json()] == [
        ("dewiki", [[5.0, NOW - 2 * MINUTE]]),
        ("enwiki", [[2.0, NOW - 2 * MINUTE]]),
        ("errors", [[1 / 3, NOW - 2 * MINUTE]]),
    ]


async def test_grafana_save_and_test_query_works(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/render",
        data={"target": "constantLine(100)", "from": "-1h", "until": "now", "format": "json"},
    )
    assert response.status_code == 200
    assert [v for v, _ in response.json()[0]["datapoints"]] == [100.0, 100.0, 100.0]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"target": "sumSeries(app.hits.*"}, "target syntax error at position 21"),
        ({"target": "sumSeriez(app.*)"}, "unknown function 'sumSeriez'"),
        ({"target": "app.hits.*", "format": "png"}, "format 'png' is not supported"),
        ({"target": "app.hits.*", "from": "yesteryear"}, "unknown time reference"),
        ({"target": "app.hits.*", "from": "now", "until": "now"}, "empty time range"),
        ({"target": "app.hits.*", "xFilesFactor": "half"}, "xFilesFactor 'half' is not a number"),
    ],
)
async def test_bad_requests_answer_400_in_plain_text(
    client: httpx.AsyncClient, params: dict[str, str], message: str
) -> None:
    response = await client.get("/render", params=params)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/plain")
    assert message in response.text


async def test_find_answers_treejson(client: httpx.AsyncClient) -> None:
    response = await client.get("/metrics/find", params={"query": "app.*"})
    assert response.json() == [
        {"text": "hits", "id": "app.hits", "allowChildren": 1, "expandable": 1, "leaf": 0},
        {"text": "errors", "id": "app.errors", "allowChildren": 0, "expandable": 0, "leaf": 1},
    ]
    posted = await client.post("/metrics/find", data={"query": "app.hits.{en,de}wiki"})
    assert [n["text"] for n in posted.json()] == ["dewiki", "enwiki"]
    missing = await client.get("/metrics/find")
    assert (missing.status_code, missing.text) == (400, "Missing required parameter 'query'\n")


async def test_expand(client: httpx.AsyncClient) -> None:
    response = await client.get(
        "/metrics/expand", params=[("query", "app.*"), ("query", "app.hits.*"), ("leavesOnly", "1")]
    )
    assert response.json() == {"results": ["app.errors", "app.hits.dewiki", "app.hits.enwiki"]}
    grouped = await client.get("/metrics/expand", params={"query": "app.*", "groupByExpr": "1"})
    assert grouped.json() == {"results": {"app.*": ["app.errors", "app.hits"]}}
