"""The purchasing unit of work: the aggregate repository plus lookups that refuse unknown ids."""

from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncConnection

from eventkit import CommandContext, EventStore, NotFound
from eventkit.aggregate_cache import shared_cache
from eventkit.repository import AggregateRepository
from purchasing.adapters.codec import CODEC
from purchasing.application.settings import approval_rule
from purchasing.domain.approval import ApprovalRule
from purchasing.domain.purchase_order import PurchaseOrder, purchase_order_stream_id
from purchasing.domain.supplier import Supplier, supplier_stream_id

SERVICE = "purchasing"


class PurchasingUnitOfWork(AggregateRepository):
    def __init__(
        self,
        conn: AsyncConnection,
        store: EventStore,
        context: CommandContext,
        rule: ApprovalRule | None = None,
        *,
        cached: bool = True,
    ) -> None:
        # A file import reads thousands of streams in one query; the cache would re-read
        # each one it holds (one query per stream), so imports go without it.
        cache = shared_cache if cached else None
        super().__init__(conn, store, CODEC, context, SERVICE, cache=cache)
        self.rule = rule or approval_rule()

    async def supplier(self, supplier_id: str) -> Supplier:
        supplier = await self.get(Supplier, supplier_stream_id(supplier_id))
        if not supplier.registered:
            raise NotFound("supplier", supplier_id)
        return supplier

    async def purchase_order(self, po_id: UUID) -> PurchaseOrder:
        order = await self.get(PurchaseOrder, purchase_order_stream_id(po_id))
        if not order.exists:
            raise NotFound("purchase order", po_id)
        return order
