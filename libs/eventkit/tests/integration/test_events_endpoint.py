"""GET /events/{event_id} on a service built by create_app: the stored event, who and when."""

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import httpx
import pytest

from eventkit import EventMetadata, NewEvent
from eventkit.runtime import ServiceBlueprint, ServiceRuntime, create_app
from eventkit.settings import ServiceSettings
from eventkit.testing.infrastructure import Infrastructure

pytestmark = pytest.mark.integration

ADMIN, VIEWER, NOBODY = "admin-token", "viewer-token", "nobody-token"


@pytest.fixture
async def client(
    database_url: str, infra: Infrastructure, service_name: str
) -> AsyncIterator[httpx.AsyncClient]:
    settings = ServiceSettings(
        service=service_name,
        database=database_url,
        kafka_bootstrap_servers=infra.kafka_bootstrap_servers,
        admin_token=ADMIN,
        tokens=f"{VIEWER}=han.meimei:viewer;{NOBODY}=li.lei:clerk",
        log_json=False,
    )
    app = create_app(ServiceBlueprint(name=service_name, title="toy"), settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://toy") as http:
            yield http


async def append_one(client: httpx.AsyncClient) -> NewEvent:
    runtime: ServiceRuntime = client._transport.app.state.runtime  # type: ignore[attr-defined]
    event = NewEvent(
        "counter-a",
        "CounterOpened",
        {"start": "3.50"},
        occurred_at=datetime(2026, 11, 2, 9, tzinfo=UTC),  # backdated business time
    )
    metadata = EventMetadata(
        correlation_id="corr-1", causation_id="cause-1", actor="wang.fang", producer="toy"
    )
    async with runtime.engine.begin() as conn:
        await runtime.store.append(conn, [event], {}, metadata)
    return event


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_a_viewer_reads_the_stored_event_with_its_actor_and_both_times(
    client: httpx.AsyncClient,
) -> None:
    event = await append_one(client)
    answer = await client.get(f"/events/{event.event_id}", headers=auth(VIEWER))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["event_id"] == str(event.event_id)
    assert body["event_type"] == "CounterOpened"
    assert (body["stream_id"], body["stream_version"]) == ("counter-a", 1)
    assert body["global_position"] >= 1
    assert body["payload"] == {"start": "3.50"}
    assert body["metadata"]["actor"] == "wang.fang"
    assert body["metadata"]["correlation_id"] == "corr-1"
    assert body["metadata"]["causation_id"] == "cause-1"
    assert body["metadata"]["producer"] == "toy"
    assert body["metadata"]["idempotency_key"] is None
    assert datetime.fromisoformat(body["occurred_at"]) == datetime(2026, 11, 2, 9, tzinfo=UTC)
    assert datetime.fromisoformat(body["recorded_at"]) > datetime.fromisoformat(body["occurred_at"])


async def test_an_unknown_event_id_is_404_and_a_non_uuid_422(client: httpx.AsyncClient) -> None:
    unknown = await client.get(f"/events/{uuid.uuid4()}", headers=auth(VIEWER))
    assert unknown.status_code == 404
    malformed = await client.get("/events/not-a-uuid", headers=auth(VIEWER))
    assert malformed.status_code == 422


async def test_reading_an_event_needs_a_token_with_the_viewer_role(
    client: httpx.AsyncClient,
) -> None:
    event = await append_one(client)
    assert (await client.get(f"/events/{event.event_id}")).status_code == 401
    refused = await client.get(f"/events/{event.event_id}", headers=auth(NOBODY))
    assert refused.status_code == 403
