"""`rm_report_cash`: cash position (资金) by day from receipts and payments.

One row per day with money in (`PaymentReceived`) or out (`PaymentMade`): received, paid, the
net flow and the closing balance — the running sum of net flows since the first event
reporting holds (reporting knows no opening bank balance; finance's 1002 account does). A
backdated document shifts the closing balance of every later day.
"""

from datetime import date
from decimal import Decimal
from typing import ClassVar

from sqlalchemy import Column, Date, MetaData, Table, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from erp_contracts.events.finance import PaymentMade, PaymentReceived
from erp_contracts.registry import PublicEvent
from eventkit.store.records import RecordedEvent
from reporting.adapters.projections.base import (
    ContractProjection,
    business_day,
    measure,
    types_of,
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
        match event:
            case PaymentReceived():
                await _flow(conn, business_day(recorded), event.amount, ZERO)
            case PaymentMade():
                await _flow(conn, business_day(recorded), ZERO, event.amount)


async def _flow(conn: AsyncConnection, day: date, received: Decimal, paid: Decimal) -> None:
    c = cash_daily.c
    previous = select(c.closing_balance).where(c.day < day).order_by(c.day.desc()).limit(1)
    opening = (await conn.execute(previous)).scalar_one_or_none() or ZERO
    await conn.execute(
        insert(cash_daily).values(day=day, closing_balance=opening).on_conflict_do_nothing()
    )
    net = received - paid
    await conn.execute(
        update(cash_daily)
        .where(c.day == day)
        .values(received=c.received + received, paid=c.paid + paid, net_flow=c.net_flow + net)
    )
    await conn.execute(
        update(cash_daily).where(c.day >= day).values(closing_balance=c.closing_balance + net)
    )
