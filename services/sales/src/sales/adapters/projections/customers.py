"""``CustomersProjection`` keeps ``rm_customers.customers``: one row per customer with its
terms, credit limit and exposure parts — open orders (+ order total incl. VAT when placed,
− when cancelled) and open receivables (0 until finance publishes its events). It mirrors the
``Customer`` aggregate, which is what the credit check itself decides on."""

from collections.abc import Sequence
from typing import ClassVar

from sqlalchemy import Column, Integer, MetaData, Table, Text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from eventkit.projections import Projection
from eventkit.store.records import RecordedEvent
from sales.adapters.codec import from_payload
from sales.adapters.projections.columns import MONEY, RATE
from sales.domain import events as e

SCHEMA = "rm_customers"
metadata = MetaData()
customers = Table(
    "customers",
    metadata,
    Column("customer_id", Text, primary_key=True),
    Column("name", Text, nullable=False),
    Column("credit_limit", MONEY, nullable=False),
    Column("payment_terms_days", Integer, nullable=False),
    Column("discount_rate", RATE, nullable=False),
    Column("open_orders", MONEY, nullable=False, default=0),
    Column("open_receivables", MONEY, nullable=False, default=0),
    schema=SCHEMA,
)


class CustomersProjection(Projection):
    name: ClassVar[str] = "sales.customers"
    schema: ClassVar[str] = SCHEMA
    metadata: ClassVar[MetaData] = metadata
    handles: ClassVar[frozenset[str]] = frozenset(
        cls.event_type
        for cls in (
            e.CustomerRegistered,
            e.CustomerCreditCommitted,
            e.CustomerCreditReleased,
            e.CustomerInvoiced,
            e.CustomerPaid,
        )
    )

    async def apply(self, conn: AsyncConnection, event: RecordedEvent) -> None:
        await self.apply_batch(conn, [event])

    async def apply_batch(self, conn: AsyncConnection, events: Sequence[RecordedEvent]) -> None:
        for recorded in events:
            await _apply(conn, from_payload(recorded.event_type, recorded.payload))


async def _apply(conn: AsyncConnection, event: e.DomainEvent) -> None:
    match event:
        case e.CustomerRegistered():
            await conn.execute(
                insert(customers).on_conflict_do_nothing(),
                {
                    "customer_id": event.customer_id,
                    "name": event.name,
                    "credit_limit": event.credit_limit,
                    "payment_terms_days": event.payment_terms_days,
                    "discount_rate": event.discount_rate,
                    "open_orders": 0,
                    "open_receivables": 0,
                },
            )
        case e.CustomerCreditCommitted():
            await _add_open_orders(conn, event.customer_id, event.amount)
        case e.CustomerCreditReleased():
            await _add_open_orders(conn, event.customer_id, -event.amount)
        case e.CustomerInvoiced():
            await _add_open_orders(conn, event.customer_id, -event.commitment_released)
            await _add_receivables(conn, event.customer_id, event.amount)
        case e.CustomerPaid():
            paid = sum((payment.amount for payment in event.payments), start=0)
            await _add_receivables(conn, event.customer_id, -paid)
        case _:
            pass


async def _add_open_orders(conn: AsyncConnection, customer_id: str, delta: object) -> None:
    await conn.execute(
        update(customers)
        .where(customers.c.customer_id == customer_id)
        .values(open_orders=customers.c.open_orders + delta)
    )


async def _add_receivables(conn: AsyncConnection, customer_id: str, delta: object) -> None:
    await conn.execute(
        update(customers)
        .where(customers.c.customer_id == customer_id)
        .values(open_receivables=customers.c.open_receivables + delta)
    )
