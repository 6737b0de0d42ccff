"""A user token signed by the console, through a service app built by the real runtime: the
person it names is the actor on the events the command records."""

from collections.abc import AsyncIterator
from typing import Annotated

import httpx
import pytest
from fastapi import APIRouter, Depends, Request

from eventkit import NO_STREAM, CommandContext, NewEvent
from eventkit.http import command_context
from eventkit.http.user_tokens import UserTokenSigner, generate_signing_keys
from eventkit.runtime import ServiceBlueprint, ServiceRuntime, create_app
from eventkit.settings import ServiceSettings
from eventkit.testing.infrastructure import Infrastructure

pytestmark = pytest.mark.integration

PRIVATE, PUBLIC = generate_signing_keys()
OTHER_PRIVATE, _ = generate_signing_keys()
ADMIN = "admin-token"


def notes_router() -> APIRouter:
    router = APIRouter()

    @router.post("/notes/{note_id}", status_code=201)
    async def write_note(
        note_id: str,
        request: Request,
        ctx: Annotated[CommandContext, Depends(command_context("purchasing"))],
    ) -> None:
        runtime: ServiceRuntime = request.app.state.runtime
        stream = f"note-{note_id}"
        async with runtime.engine.begin() as conn:
            event = NewEvent(stream, "NoteWritten", {"note_id": note_id})
            await runtime.store.append(conn, [event], {stream: NO_STREAM}, ctx.metadata("toy"))

    return router


@pytest.fixture
async def service(
    database_url: str, infra: Infrastructure, service_name: str
) -> AsyncIterator[tuple[httpx.AsyncClient, ServiceRuntime]]:
    settings = ServiceSettings(
        service=service_name,
        database=database_url,
        kafka_bootstrap_servers=infra.kafka_bootstrap_servers,
        admin_token=ADMIN,
        user_token_public_key=PUBLIC.decode(),
        log_json=False,
    )
    app = create_app(
        ServiceBlueprint(name=service_name, title="toy", routers=[notes_router()]), settings
    )
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://toy") as http:
            yield http, app.state.runtime


async def actors(runtime: ServiceRuntime, note_id: str) -> list[str | None]:
    async with runtime.engine.connect() as conn:
        events = await runtime.store.read_stream(conn, f"note-{note_id}")
    return [event.metadata.actor for event in events]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_the_person_named_by_a_user_token_is_the_actor_on_the_event(
    service: tuple[httpx.AsyncClient, ServiceRuntime],
) -> None:
    client, runtime = service
    token = UserTokenSigner(PRIVATE).sign("li.lei", ["purchasing"])
    response = await client.post("/notes/n1", headers=bearer(token))
    assert response.status_code == 201, response.text
    assert await actors(runtime, "n1") == ["li.lei"]


async def test_the_admin_token_still_acts_as_admin(
    service: tuple[httpx.AsyncClient, ServiceRuntime],
) -> None:
    client, runtime = service
    assert (await client.post("/notes/n2", headers=bearer(ADMIN))).status_code == 201
    assert await actors(runtime, "n2") == ["admin"]


async def test_a_user_token_from_another_key_records_nothing(
    service: tuple[httpx.AsyncClient, ServiceRuntime],
) -> None:
    client, runtime = service
    forged = UserTokenSigner(OTHER_PRIVATE).sign("li.lei", ["admin"])
    assert (await client.post("/notes/n3", headers=bearer(forged))).status_code == 401
    assert await actors(runtime, "n3") == []
