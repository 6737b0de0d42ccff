"""The sales unit of work: the aggregate repository plus lookups that refuse unknown ids."""

from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncConnection

from eventkit import CommandContext, EventStore, NotFound
from eventkit.aggregate_cache import shared_cache
from eventkit.repository import AggregateRepository
from sales.adapters.codec import CODEC
from sales.domain.customer import Customer, customer_stream_id
from sales.domain.sales_order import SalesOrder, sales_order_stream_id

SERVICE = "sales"


class SalesUnitOfWork(AggregateRepository):
    def __init__(
        self,
        conn: AsyncConnection,
        store: EventStore,
        context: CommandContext,
        *,
        cached: bool = True,
    ) -> None:
        # A file import reads thousands of streams in one query; the cache would re-read
        # each one it holds (one query per stream), so imports go without it.
        cache = shared_cache if cached else None
        super().__init__(conn, store, CODEC, context, SERVICE, cache=cache)

    async def customer(self, customer_id: str, *, for_update: bool = False) -> Customer:
        """The registered customer. `for_update`: this command changes its credit exposure —
        queue behind other orders of the same customer instead of racing them, so their
        credit checks run one after the other."""
        stream_id = customer_stream_id(customer_id)
        found = await self.get_many(Customer, [stream_id], for_update=for_update)
        customer = found[stream_id]
        if not customer.registered:
            raise NotFound("customer", customer_id)
        return customer

    async def sales_order(self, order_id: UUID) -> SalesOrder:
        order = await self.get(SalesOrder, sales_order_stream_id(order_id))
        if not order.exists:
            raise NotFound("sales order", order_id)
        return order
