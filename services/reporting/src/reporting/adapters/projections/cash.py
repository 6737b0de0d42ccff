"""`rm_report_cash`: cash position (资金) by day from receipts and payments.

One row per day with money in (`PaymentReceived`) or out (`PaymentMade`): received, paid, the
net flow and the closing balance — the running sum of net flows since the first event
reporting holds (reporting knows no opening bank balance; finance's 1002 account does). A
backdated document shifts the closing balance of every later day.
"""

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import Column, Date, MetaData, Table, func, select, true, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from erp_contracts.events.finance import PaymentMade, PaymentReceived
from erp_contracts.registry import PublicEvent
from eventkit.store.records import RecordedEvent
from reporting.adapters.projections.base import (
    ContractProjection,
    business_day,
    decoded,
    measure,
    summed,
    types_of,
    unnested,
)

SCHEMA = "rm_report_cash"
metadata = MetaData()
ZERO = Decimal(0)

cash_daily = Table(
    "cash_daily",
    metadata,
    Column("day", Date, primary_key=True),
    measure("received"),
    measure("paid"),
    measure("net_flow"),
    measure("closing_balance"),
    schema=SCHEMA,
)


class CashProjection(ContractProjection):
    name: ClassVar[str] = "reporting.cash"
    schema: ClassVar[str] = SCHEMA
    metadata: ClassVar[MetaData] = metadata
    handles: ClassVar[frozenset[str]] = types_of(PaymentReceived, PaymentMade)

    async def on(self, conn: AsyncConnection, event: PublicEvent, recorded: RecordedEvent) -> None:
        await _flow(conn, _flows(event, business_day(recorded)))

    async def apply_batch(self, conn: AsyncConnection, events: Sequence[RecordedEvent]) -> None:
        flows = [
            flow
            for recorded in events
            if (event := decoded(recorded)) is not None
            for flow in _flows(event, business_day(recorded))
        ]
        await _flow(conn, flows)


#: Money on a day: (day, received, paid).
Flow = tuple[date, Decimal, Decimal]


def _flows(event: PublicEvent, day: date) -> list[Flow]:
    match event:
        case PaymentReceived():
            return [(day, event.amount, ZERO)]
        case PaymentMade():
            return [(day, ZERO, event.amount)]
    return []


async def _flow(conn: AsyncConnection, flows: Sequence[Flow]) -> None:
    """Add the flows to their days and carry the net into the closing balance of every later
    day: a day's row opens at the closing of the latest day before it as it stood before the
    batch, then every day on or after a flow moves by it (order-free, as in `stock`)."""
    if not flows:
        return
    days: dict[tuple[Any, ...], dict[str, Decimal]] = {}
    for day, received, paid in flows:
        summed(days, (day,), {"received": received, "paid": paid, "net_flow": received - paid})
    rows = [{"day": key[0], **sums} for key, sums in days.items()]
    given, before = unnested("given", cash_daily, rows), cash_daily.alias("before")
    opening = (
        select(before.c.closing_balance)
        .where(before.c.day < given.c.day)
        .order_by(before.c.day.desc())
        .limit(1)
        .lateral("opening")
    )
    measures = ("received", "paid", "net_flow")
    added = select(
        given.c.day,
        *(given.c[name] for name in measures),
        func.coalesce(opening.c.closing_balance, ZERO),
    ).select_from(given.outerjoin(opening, true()))
    stmt = insert(cash_daily).from_select(["day", *measures, "closing_balance"], added)
    sums = {name: cash_daily.c[name] + stmt.excluded[name] for name in measures}
    await conn.execute(stmt.on_conflict_do_update(index_elements=["day"], set_=sums))
    await _carry(conn, [{"day": r["day"], "net_flow": r["net_flow"]} for r in rows])


async def _carry(conn: AsyncConnection, rows: list[dict[str, Any]]) -> None:
    moved, later = unnested("moved", cash_daily, rows), cash_daily.alias("later")
    shifts = (
        select(later.c.day, func.sum(moved.c.net_flow).label("net"))
        .join_from(later, moved, later.c.day >= moved.c.day)
        .group_by(later.c.day)
        .subquery("shifts")
    )
    c = cash_daily.c
    await conn.execute(
        update(cash_daily)
        .where(c.day == shifts.c.day)
        .values(closing_balance=c.closing_balance + shifts.c.net)
    )
