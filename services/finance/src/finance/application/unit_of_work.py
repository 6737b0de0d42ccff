"""The finance unit of work: the aggregate repository plus lookups that refuse unknown ids:
finance's own documents → 404; suppliers, POs and customers, which finance knows only from
the owning service's events → 409 `not_yet_known` (eventkit.errors.NotYetKnown)."""

from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncConnection

from eventkit import CommandContext, EventStore, NotFound
from eventkit.aggregate_cache import shared_cache
from eventkit.errors import NotYetKnown
from eventkit.repository import AggregateRepository
from finance.adapters.codec import CODEC
from finance.domain.chart import CHART_STREAM, ChartOfAccounts
from finance.domain.customer import CustomerAccount, customer_stream_id
from finance.domain.customer_invoice import CustomerInvoice, customer_invoice_stream_id
from finance.domain.periods import PERIODS_STREAM, AccountingPeriods
from finance.domain.purchase_order import PurchaseOrderMatch, purchase_order_stream_id
from finance.domain.supplier import SupplierAccount, supplier_stream_id
from finance.domain.supplier_invoice import SupplierInvoice, supplier_invoice_stream_id
from finance.domain.vouchers import JournalVoucher, voucher_stream_id

SERVICE = "finance"


class FinanceUnitOfWork(AggregateRepository):
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
        super().__init__(
            conn, store, CODEC, context, SERVICE, cache=shared_cache if cached else None
        )

    async def supplier(self, supplier_id: str) -> SupplierAccount:
        supplier = await self.get(SupplierAccount, supplier_stream_id(supplier_id))
        if not supplier.registered:
            # Suppliers are purchasing's: known here once its SupplierRegistered arrived.
            raise NotYetKnown("supplier", supplier_id, "purchasing")
        return supplier

    async def purchase_order(self, po_id: UUID) -> PurchaseOrderMatch:
        order = await self.get(PurchaseOrderMatch, purchase_order_stream_id(po_id))
        if not order.exists:
            # POs are purchasing's: known here once its PurchaseOrderPlaced arrived.
            raise NotYetKnown("purchase order", po_id, "purchasing")
        return order

    async def supplier_invoice(self, invoice_id: UUID) -> SupplierInvoice:
        invoice = await self.get(SupplierInvoice, supplier_invoice_stream_id(invoice_id))
        if not invoice.exists:
            raise NotFound("supplier invoice", invoice_id)
        return invoice

    async def customer(self, customer_id: str) -> CustomerAccount:
        customer = await self.get(CustomerAccount, customer_stream_id(customer_id))
        if not customer.registered:
            # Customers are sales': known here once its CustomerRegistered arrived.
            raise NotYetKnown("customer", customer_id, "sales")
        return customer

    async def customer_invoice(self, invoice_id: UUID) -> CustomerInvoice:
        invoice = await self.get(CustomerInvoice, customer_invoice_stream_id(invoice_id))
        if not invoice.exists:
            raise NotFound("customer invoice", invoice_id)
        return invoice

    async def periods(self) -> AccountingPeriods:
        return await self.get(AccountingPeriods, PERIODS_STREAM)

    async def chart(self) -> ChartOfAccounts:
        return await self.get(ChartOfAccounts, CHART_STREAM)

    async def voucher(self, voucher_id: UUID) -> JournalVoucher:
        voucher = await self.get(JournalVoucher, voucher_stream_id(voucher_id))
        if not voucher.exists:
            raise NotFound("journal voucher", voucher_id)
        return voucher
