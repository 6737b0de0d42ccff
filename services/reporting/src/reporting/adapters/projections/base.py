"""What every reporting projection shares: contract decoding, column types, additive upserts.

Reporting's read models are fed from reporting's own event store, which holds a copy of every
public event it consumed (`reporting.entrypoints.kafka`). The stored payload is the contract
payload, so a projection decodes it with the contract model registered for its type and
version, exactly as the consumer validated it.
"""

from abc import abstractmethod
from collections.abc import Mapping, Sequence
from datetime import UTC, date
from decimal import Decimal
from typing import Any

from sqlalchemy import Column, Numeric, Table, column, func, literal, text
from sqlalchemy.dialects.postgresql import ARRAY, insert
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.selectable import TableValuedAlias

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


def unnested(name: str, table: Table, rows: Sequence[Mapping[str, Any]]) -> TableValuedAlias:
    """`rows` (dicts with the same keys, named after `table`'s columns) as
    `unnest(array, …) AS name(column, …)`: a batch of any size is one statement of one shape
    (compiled once, one parameter per column)."""
    names = list(rows[0])
    arrays = [literal([row[n] for row in rows], ARRAY(table.c[n].type)) for n in names]
    columns = [column(n, table.c[n].type) for n in names]
    return func.unnest(*arrays).table_valued(*columns).render_derived(name=name)


async def add_all(
    conn: AsyncConnection,
    table: Table,
    keys: Sequence[str],
    rows: Sequence[Mapping[str, Any]],
    measures: Sequence[str] | None = None,
) -> None:
    """`add_to` for many rows in one statement: `measures` (default: every column but the
    keys) are added to an existing row, the other columns only fill a new one. The keys must be
    distinct (a statement may not update a row twice): sum a batch per key first."""
    if not rows:
        return
    given = unnested("added", table, rows)
    stmt = insert(table).from_select(list(rows[0]), given.select())
    if measures is None:
        measures = [name for name in rows[0] if name not in keys]
    await conn.execute(
        stmt.on_conflict_do_update(
            index_elements=list(keys),
            set_={name: table.c[name] + stmt.excluded[name] for name in measures},
        )
    )


async def insert_new(
    conn: AsyncConnection, table: Table, rows: Sequence[Mapping[str, Any]]
) -> None:
    """Insert the rows whose key is not there yet, in one statement (the first of a key wins,
    as inserting them one by one with ON CONFLICT DO NOTHING would)."""
    if rows:
        given = unnested("given", table, rows)
        stmt = insert(table).from_select(list(rows[0]), given.select())
        await conn.execute(stmt.on_conflict_do_nothing())


def summed(
    into: dict[tuple[Any, ...], dict[str, Decimal]],
    key: tuple[Any, ...],
    measures: Mapping[str, Decimal],
) -> None:
    """Add `measures` to the batch's running sums at `key`. Contract amounts have at most the
    columns' scale (2 places for money, 6 for quantities), so summing before writing gives the
    very numbers that adding event by event would: a rebuild equals live whatever its batches."""
    sums = into.setdefault(key, {})
    for name, value in measures.items():
        sums[name] = sums.get(name, ZERO) + value


class ContractProjection(Projection):
    """A projection over copies of public events: `on` gets the decoded contract."""

    async def apply(self, conn: AsyncConnection, event: RecordedEvent) -> None:
        contract = decoded(event)
        if contract is not None:
            await self.on(conn, contract, event)

    @abstractmethod
    async def on(self, conn: AsyncConnection, event: PublicEvent, recorded: RecordedEvent) -> None:
        """Apply one decoded public event (called in commit order of reporting's store)."""


def decoded(event: RecordedEvent) -> PublicEvent | None:
    """The copy as its contract; None for a type reporting kept but no longer knows (nothing
    to add)."""
    contract = resolve_event(event.event_type, event.schema_version)
    return None if contract is None else contract.model_validate(event.payload)


def types_of(*contracts: type[PublicEvent]) -> frozenset[str]:
    return frozenset(c.event_type for c in contracts)
