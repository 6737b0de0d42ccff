"""Reporting's projections write a batch in a few set-based statements. Live runners, requests
catching up and rebuilds cut the log into different batches, so every projection must write
the same rows whatever the cut: one event at a time, a few, or the whole month at once — also
when both halves of a sale, a backdated stock movement or one key many times fall into one
batch."""

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from erp_contracts.envelope import EventEnvelope
from eventkit.projections import Projection
from eventkit.projections.rebuild import apply_to, create_fresh_schema
from eventkit.store.records import RecordedEvent
from reporting.adapters.projections import PROJECTIONS

from . import dataset

pytestmark = pytest.mark.integration


def copy_of(position: int, envelope: EventEnvelope) -> RecordedEvent:
    """The copy reporting's store would hold of `envelope`."""
    return RecordedEvent(
        global_position=position,
        stream_id=f"source-{envelope.producer}-{envelope.stream_id}",
        stream_version=envelope.stream_version,
        event_id=envelope.event_id,
        event_type=envelope.event_type,
        schema_version=envelope.schema_version,
        payload=envelope.payload,
        metadata_json="{}",
        occurred_at=envelope.occurred_at,
        recorded_at=envelope.recorded_at,
        tx_id=position,
    )


async def written(
    engine: AsyncEngine, projection: Projection, events: list[RecordedEvent], size: int
) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of `projection` after applying `events` `size` at a time."""
    schema = f"{projection.schema}__by_{size}"
    await create_fresh_schema(engine, projection, schema)
    async with engine.begin() as conn:
        for first in range(0, len(events), size):
            await apply_to(conn, projection, schema, events[first : first + size])
        translated = await conn.execution_options(schema_translate_map={projection.schema: schema})
        rows = {}
        for table in projection.metadata.sorted_tables:
            ordered = select(table).order_by(*table.primary_key.columns)
            rows[table.name] = [tuple(row) for row in await translated.execute(ordered)]
    return rows


async def test_every_projection_writes_the_same_rows_whatever_its_batches(
    engine: AsyncEngine,
) -> None:
    month = [copy_of(n, e) for n, e in enumerate(dataset.november(), start=1)]
    # Inventory's half of a sale before finance's and the other way round; a stock movement
    # backdated before days already booked in the same batch.
    backwards = list(reversed(month))
    for events in (month, backwards):
        for projection in PROJECTIONS:
            one_by_one = await written(engine, projection, events, 1)
            assert await written(engine, projection, events, 3) == one_by_one
            assert await written(engine, projection, events, len(events)) == one_by_one
    # The month fills every read model fed by other services' events (custom reports are
    # reporting's own), so the comparisons above compared rows, not empty tables.
    for projection in PROJECTIONS:
        rows = await written(engine, projection, month, len(month))
        assert any(rows.values()) == (projection.schema != "rm_report_custom")
