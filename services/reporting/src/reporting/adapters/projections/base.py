"""What every reporting projection shares: contract decoding, column types, additive upserts.

Reporting's read models are fed from reporting's own event store, which holds a copy of every
public event it consumed (`reporting.entrypoints.kafka`). The stored payload is the contract
payload, so a projection decodes it with the contract model registered for its type and
version, exactly as the consumer validated it.
"""

from abc import abstractmethod
from collections.abc import Mapping
from datetime import UTC, date
from decimal import Decimal
from typing import Any

from sqlalchemy import Column, Numeric, Table, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from erp_contracts.registry import PublicEvent, resolve_event
from eventkit.projections import Projection
from eventkit.store.records import RecordedEvent

QTY = Numeric(24, 6)
MONEY = Numeric(24, 2)
PRICE = Numeric(24, 6)
ZERO = Decimal(0)


def measure(name: str, kind: Numeric[Decimal] = MONEY) -> Column[Any]:
    """A summable column: 0 until something adds to it."""
    return Column(name, kind, nullable=False, server_default=text("0"))


def business_day(event: RecordedEvent) -> date:
    """Reporting days are UTC calendar days of business time (`occurred_at`)."""
    return event.occurred_at.astimezone(UTC).date()


async def add_to(
    conn: AsyncConnection, table: Table, keys: Mapping[str, Any], measures: Mapping[str, Any]
) -> None:
    """Add `measures` to the row at `keys` (primary key), creating it at zero first."""
    stmt = insert(table).values({**keys, **measures})
    stmt = stmt.on_conflict_do_update(
        index_elements=list(keys),
        set_={name: table.c[name] + stmt.excluded[name] for name in measures},
    )
    await conn.execute(stmt)


class ContractProjection(Projection):
    """A projection over copies of public events: `on` gets the decoded contract."""

    async def apply(self, conn: AsyncConnection, event: RecordedEvent) -> None:
        contract = resolve_event(event.event_type, event.schema_version)
        if contract is None:  # a type reporting kept but no longer knows: nothing to add
            return
        await self.on(conn, contract.model_validate(event.payload), event)

    @abstractmethod
    async def on(self, conn: AsyncConnection, event: PublicEvent, recorded: RecordedEvent) -> None:
        """Apply one decoded public event (called in commit order of reporting's store)."""


def types_of(*contracts: type[PublicEvent]) -> frozenset[str]:
    return frozenset(c.event_type for c in contracts)
