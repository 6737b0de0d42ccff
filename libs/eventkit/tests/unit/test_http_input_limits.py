"""Body size limits (eventkit.http.limits) and unreadable bodies: a 4xx in the §8 shapes, and
the endpoint never runs."""

import re
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI, Request

from eventkit.http.errors import install_error_handlers
from eventkit.http.limits import (
    MAX_BODY_EXTENSION,
    BodyLimits,
    install_input_limits,
    max_body_bytes,
)
from eventkit.http.schemas import Body, Code

KIB = 1024


class ItemIn(Body):
    sku: Code


def small_limits_app(calls: list[str]) -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)
    install_input_limits(app, default=4 * KIB, prefixes={"/bulk": 16 * KIB})

    @app.post("/items")
    async def post_item(body: ItemIn) -> dict[str, str]:
        calls.append(body.sku)
        return {"sku": body.sku}

    @app.post("/bulk/{name}")
    async def post_bulk(name: str, request: Request) -> dict[str, int]:
        calls.append(name)
        return {"bytes": len(await request.body())}

    @app.post("/upload", openapi_extra=max_body_bytes(64 * KIB))
    async def post_upload(request: Request) -> dict[str, int]:
        calls.append("upload")
        return {"bytes": len(await request.body())}

    return app


@pytest.fixture
def calls() -> list[str]:
    return []


@pytest.fixture
async def client(calls: list[str]) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=small_limits_app(calls))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


async def test_a_body_over_the_default_limit_gets_413_and_the_endpoint_never_runs(
    client: httpx.AsyncClient, calls: list[str]
) -> None:
    response = await client.post("/items", content=b"x" * (4 * KIB + 1))
    assert response.status_code == 413
    assert response.json()["error"] == "payload_too_large"
    assert "4096 bytes" in response.json()["message"]
    assert calls == []


async def test_a_body_under_the_limit_reaches_the_endpoint_as_sent(
    client: httpx.AsyncClient, calls: list[str]
) -> None:
    response = await client.post("/items", json={"sku": "A" * 60})
    assert (response.status_code, calls) == (200, ["A" * 60])


async def test_a_streamed_body_without_a_length_is_cut_off_at_the_limit(
    client: httpx.AsyncClient, calls: list[str]
) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(10):
            yield b"x" * KIB

    response = await client.post("/items", content=chunks())
    assert response.status_code == 413
    assert calls == []


async def test_a_path_prefix_and_a_route_may_allow_more(client: httpx.AsyncClient) -> None:
    assert (await client.post("/bulk/a", content=b"x" * (16 * KIB))).json() == {"bytes": 16 * KIB}
    assert (await client.post("/bulk/a", content=b"x" * (16 * KIB + 1))).status_code == 413
    assert (await client.post("/upload", content=b"x" * (64 * KIB))).json() == {"bytes": 64 * KIB}
    assert (await client.post("/upload", content=b"x" * (64 * KIB + 1))).status_code == 413


def test_a_route_limit_wins_over_a_prefix_and_the_longest_prefix_over_shorter_ones() -> None:
    limits = BodyLimits(10, {"/a": 20, "/a/b": 30}, [(re.compile("^/a/b/upload$"), 40)])
    assert [limits.for_path(p) for p in ("/x", "/a/z", "/a/b/c", "/a/b/upload")] == [
        10,
        20,
        30,
        40,
    ]


def test_a_declared_route_limit_is_documented_in_the_openapi_document(calls: list[str]) -> None:
    operation = small_limits_app(calls).openapi()["paths"]["/upload"]["post"]
    assert operation[MAX_BODY_EXTENSION] == 64 * KIB


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b'{"sku": "A"', "application/json"),  # truncated JSON
        (b'{"sku": "\xff"}', "application/json"),  # not UTF-8
        (b"sku=A", "application/x-www-form-urlencoded"),  # another media type
        (b'{"sku": "A"}', "text/plain"),
        (b"", "application/json"),
    ],
)
async def test_an_unreadable_or_foreign_body_gets_422_with_the_body_as_its_place(
    client: httpx.AsyncClient, calls: list[str], content: bytes, content_type: str
) -> None:
    response = await client.post("/items", content=content, headers={"content-type": content_type})
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["error"] == "validation_error"
    assert body["details"][0]["loc"][0] == "body"
    assert {"loc", "msg", "type"} <= set(body["details"][0])
    assert calls == []
