"""`GET /events/{event_id}`: one stored event as the store holds it, on every service.

The audit trail behind every read model: a 库存流水 row, a journal line or a report figure names
the event it came from, and a person (role viewer) can open that event to see what was
decided, by whom (`metadata.actor`), in which request (correlation / causation ids), and when
on both time axes (`occurred_at` business time, `recorded_at` when it was written). The
payload is upcast to the newest schema version the service knows, as every reader sees it.
"""

import json
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Request

from eventkit.errors import NotFound
from eventkit.http.auth import Principal, require_role
from eventkit.store.driver import driver
from eventkit.store.event_store import COLUMNS, to_record
from eventkit.store.records import RecordedEvent

_BY_ID = f"SELECT {COLUMNS} FROM events WHERE event_id = $1"


def events_router() -> APIRouter:
    router = APIRouter(tags=["events"])

    @router.get("/events/{event_id}")
    async def get_event(
        event_id: UUID,
        request: Request,
        _: Annotated[Principal, Depends(require_role("viewer"))],
    ) -> dict[str, Any]:
        """The stored event; 404 for an id this service never recorded, 422 for a non-uuid."""
        runtime = request.app.state.runtime
        async with runtime.engine.connect() as conn:
            row = await (await driver(conn)).fetchrow(_BY_ID, event_id)
        if row is None:
            raise NotFound("event", str(event_id))
        return event_body(runtime.store.upcasters.upcast(to_record(row)))

    return router


def event_body(event: RecordedEvent) -> dict[str, Any]:
    metadata: dict[str, Any] = json.loads(event.metadata_json or "{}")
    return {
        "event_id": str(event.event_id),
        "event_type": event.event_type,
        "schema_version": event.schema_version,
        "stream_id": event.stream_id,
        "stream_version": event.stream_version,
        "global_position": event.global_position,
        "payload": event.payload,
        "metadata": {key: metadata.get(key) for key in _METADATA_KEYS} | metadata,
        "occurred_at": event.occurred_at.isoformat(),
        "recorded_at": event.recorded_at.isoformat(),
    }


#: Always present in the answer (null when the writer did not set them).
_METADATA_KEYS = ("actor", "correlation_id", "causation_id", "producer", "idempotency_key")
