"""The HTTP glue on a toy service run through the real runtime (lifespan, database, relay)."""

import asyncio
from collections.abc import AsyncIterator
from typing import Annotated

import httpx
import pytest
from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from eventkit import NO_STREAM, BusinessRuleViolation, CommandContext, NewEvent, NotFound
from eventkit.http import command_context, require_role, run_idempotent
from eventkit.runtime import ServiceBlueprint, ServiceRuntime, create_app
from eventkit.settings import ServiceSettings
from eventkit.testing.infrastructure import Infrastructure

pytestmark = pytest.mark.integration

ADMIN, CLERK, VIEWER = "admin-token", "clerk-token", "viewer-token"


class OpenCounter(BaseModel):
    counter_id: str = Field(min_length=1)
    start: int = Field(gt=0)


def toy_router() -> APIRouter:
    router = APIRouter()

    @router.post("/counters", status_code=201)
    async def open_counter(
        body: OpenCounter,
        request: Request,
        ctx: Annotated[CommandContext, Depends(command_context("clerk"))],
    ) -> JSONResponse:
        runtime: ServiceRuntime = request.app.state.runtime

        async def work(conn: AsyncConnection) -> tuple[int, dict[str, object]]:
            stream = f"counter-{body.counter_id}"
            if await runtime.store.stream_version(conn, stream):
                raise BusinessRuleViolation("already_exists", f"{body.counter_id} exists")
            event = NewEvent(stream, "CounterOpened", body.model_dump())
            await runtime.store.append(conn, [event], {stream: NO_STREAM}, ctx.metadata("toy"))
            await asyncio.sleep(0.05)  # widen the race window for the concurrency test
            return 201, {"counter_id": body.counter_id}

        key = f"{ctx.actor}:open_counter:{ctx.idempotency_key}" if ctx.idempotency_key else None
        result = await run_idempotent(runtime.engine, key, body.model_dump(), work)
        return JSONResponse(result.body, status_code=result.status_code)

    @router.get("/counters/{counter_id}")
    async def get_counter(
        counter_id: str, request: Request, _: Annotated[object, Depends(require_role("viewer"))]
    ) -> dict[str, object]:
        runtime: ServiceRuntime = request.app.state.runtime
        async with runtime.engine.connect() as conn:
            events = await runtime.store.read_stream(conn, f"counter-{counter_id}")
        if not events:
            raise NotFound("counter", counter_id)
        return {
            "counter_id": counter_id,
            "start": events[0].payload["start"],
            "actor": events[0].metadata.actor,
        }

    return router


@pytest.fixture
async def client(
    database_url: str, infra: Infrastructure, service_name: str
) -> AsyncIterator[httpx.AsyncClient]:
    settings = ServiceSettings(
        service=service_name,
        database=database_url,
        kafka_bootstrap_servers=infra.kafka_bootstrap_servers,
        admin_token=ADMIN,
        tokens=f"{CLERK}=li.lei:clerk|viewer;{VIEWER}=han.meimei:viewer",
        log_json=False,
    )
    app = create_app(
        ServiceBlueprint(name=service_name, title="toy", routers=[toy_router()]), settings
    )
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://toy") as http:
            yield http


def auth(token: str, **extra: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", **extra}


async def event_count(client: httpx.AsyncClient) -> int:
    runtime: ServiceRuntime = client._transport.app.state.runtime  # type: ignore[attr-defined]
    async with runtime.engine.connect() as conn:
        return int(await conn.scalar(text("SELECT count(*) FROM events")) or 0)


async def test_a_command_records_the_actor_from_the_token(client: httpx.AsyncClient) -> None:
    created = await client.post(
        "/counters", json={"counter_id": "a", "start": 3}, headers=auth(CLERK)
    )
    assert created.status_code == 201
    fetched = await client.get("/counters/a", headers=auth(VIEWER))
    assert fetched.json() == {"counter_id": "a", "start": 3, "actor": "li.lei"}


async def test_missing_or_unknown_tokens_get_401_and_a_missing_role_403(
    client: httpx.AsyncClient,
) -> None:
    body = {"counter_id": "a", "start": 1}
    assert (await client.post("/counters", json=body)).status_code == 401
    unknown = await client.post("/counters", json=body, headers=auth("nope"))
    assert unknown.status_code == 401
    assert unknown.json()["error"] == "unauthorized"
    forbidden = await client.post("/counters", json=body, headers=auth(VIEWER))
    assert forbidden.status_code == 403
    assert forbidden.json()["error"] == "forbidden"
    assert await event_count(client) == 0


async def test_bad_input_gets_422_with_field_paths_and_writes_nothing(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post(
        "/counters", json={"counter_id": "", "start": 0}, headers=auth(CLERK)
    )
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "validation_error"
    assert sorted(tuple(d["loc"]) for d in body["details"]) == [
        ("body", "counter_id"),
        ("body", "start"),
    ]
    assert await event_count(client) == 0


async def test_a_business_refusal_gets_409_with_a_stable_code_and_writes_nothing(
    client: httpx.AsyncClient,
) -> None:
    await client.post("/counters", json={"counter_id": "a", "start": 1}, headers=auth(CLERK))
    again = await client.post(
        "/counters", json={"counter_id": "a", "start": 2}, headers=auth(ADMIN)
    )
    assert again.status_code == 409
    assert again.json()["error"] == "already_exists"
    assert await event_count(client) == 1


async def test_an_unknown_id_gets_404(client: httpx.AsyncClient) -> None:
    response = await client.get("/counters/missing", headers=auth(VIEWER))
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


async def test_one_idempotency_key_sent_twice_concurrently_makes_one_effect(
    client: httpx.AsyncClient,
) -> None:
    headers = auth(CLERK, **{"Idempotency-Key": "order-42"})
    body = {"counter_id": "k", "start": 7}
    responses = await asyncio.gather(
        *(client.post("/counters", json=body, headers=headers) for _ in range(5))
    )
    assert [r.status_code for r in responses] == [201] * 5
    assert all(r.json() == {"counter_id": "k"} for r in responses)
    assert await event_count(client) == 1


async def test_reusing_an_idempotency_key_for_another_request_is_refused(
    client: httpx.AsyncClient,
) -> None:
    headers = auth(CLERK, **{"Idempotency-Key": "k-1"})
    await client.post("/counters", json={"counter_id": "x", "start": 1}, headers=headers)
    other = await client.post("/counters", json={"counter_id": "y", "start": 1}, headers=headers)
    assert other.status_code == 409
    assert other.json()["error"] == "idempotency_key_reused"
    assert await event_count(client) == 1


async def test_health_and_asyncapi_are_served(client: httpx.AsyncClient) -> None:
    assert (await client.get("/health")).json()["status"] == "ok"
    spec = (await client.get("/asyncapi.json")).json()
    assert spec["asyncapi"].startswith("3.")
    assert any("events" in channel for channel in spec["channels"])
