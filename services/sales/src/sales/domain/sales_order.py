"""Sales orders (销售订单), stream ``sales-order-{order_id}``.

placed → confirmed (stock reserved) or backordered (not enough stock; confirmed when a later
reservation succeeds) → partially_shipped → shipped; cancelled from placed, backordered or
confirmed only (nothing dispatched yet). Invoiced and completed follow from finance's events
once finance publishes them (docs/sales.md). What inventory reports (reservations, shipments,
releases, returns received) is recorded once each; reports that no longer fit the order's
state (a reservation after cancelling) change nothing.
"""

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from sales.domain.aggregate import Aggregate
from sales.domain.errors import AlreadyExists, InvalidQuantity, InvalidState, ReturnExceedsShipped
from sales.domain.events import (
    CustomerReturnRecorded,
    DomainEvent,
    OrderFullyInvoiced,
    OrderInvoiced,
    OrderInvoiceSettled,
    OrderLine,
    OrderShipmentRecorded,
    OrderStockReleased,
    QuantityLine,
    SalesOrderBackordered,
    SalesOrderCancelled,
    SalesOrderCompleted,
    SalesOrderConfirmed,
    SalesOrderPlaced,
    SalesReturnRequested,
    Shortage,
)
from sales.domain.money import ZERO, Totals, positive_qty, totals_of, utc
from sales.domain.order_lines import LineState, checked_lines

PLACED, CONFIRMED, BACKORDERED = "placed", "confirmed", "backordered"
PARTIALLY_SHIPPED, SHIPPED = "partially_shipped", "shipped"
INVOICED, COMPLETED, CANCELLED = "invoiced", "completed", "cancelled"
#: Nothing dispatched yet: the order can still be cancelled.
CANCELLABLE = frozenset({PLACED, CONFIRMED, BACKORDERED})
#: Still expected to ship (counted by the open-orders query).
OPEN_STATUSES = frozenset({PLACED, CONFIRMED, BACKORDERED, PARTIALLY_SHIPPED})


def sales_order_stream_id(order_id: UUID) -> str:
    return f"sales-order-{order_id}"


def order_totals(lines: Sequence[OrderLine]) -> Totals:
    return totals_of((line.qty, line.unit_price, line.tax_rate) for line in lines)


class SalesOrder(Aggregate):
    def __init__(self) -> None:
        super().__init__()
        self.order_id: UUID | None = None
        self.number = ""
        self.customer_id = ""
        self.warehouse_id = ""
        self.status = ""
        self.total = ZERO
        self.lines: dict[str, LineState] = {}
        self.shipments: set[UUID] = set()
        #: invoice id → settled?
        self.invoices: dict[UUID, bool] = {}
        self.returns: set[UUID] = set()
        self.received_returns: set[UUID] = set()
        self.stock_released = False

    @property
    def exists(self) -> bool:
        return self.order_id is not None

    def place(
        self,
        order_id: UUID,
        number: str,
        *,
        customer_id: str,
        warehouse_id: str,
        lines: Sequence[OrderLine],
        occurred_at: datetime,
    ) -> Totals:
        if self.exists:
            raise AlreadyExists(f"sales order {order_id} already exists")
        checked = checked_lines(lines)
        totals = order_totals(checked)
        self._record(
            SalesOrderPlaced(
                occurred_at=utc(occurred_at),
                order_id=order_id,
                order_number=number,
                customer_id=customer_id,
                warehouse_id=warehouse_id,
                lines=checked,
                net_total=totals.net_total,
                tax_total=totals.tax_total,
                total=totals.total,
            )
        )
        return totals

    def confirm(self, lines: Sequence[QuantityLine], *, occurred_at: datetime) -> bool:
        """Stock is reserved: a placed or backordered order is confirmed."""
        if self.status not in {PLACED, BACKORDERED}:
            return False
        self._record(
            SalesOrderConfirmed(
                occurred_at=utc(occurred_at),
                order_id=self._id,
                order_number=self.number,
                customer_id=self.customer_id,
                warehouse_id=self.warehouse_id,
                lines=tuple(lines),
            )
        )
        return True

    def backorder(self, shortages: Sequence[Shortage], *, occurred_at: datetime) -> bool:
        """Stock could not be reserved: a placed order waits (once; inventory retries it)."""
        if self.status != PLACED:
            return False
        self._record(
            SalesOrderBackordered(
                occurred_at=utc(occurred_at),
                order_id=self._id,
                order_number=self.number,
                warehouse_id=self.warehouse_id,
                shortages=tuple(s for s in shortages if s.requested > 0),
            )
        )
        return True

    def cancel(self, reason: str | None, *, occurred_at: datetime) -> None:
        if self.status not in CANCELLABLE:
            raise InvalidState(
                f"cannot cancel sales order {self.number} in status {self.status}",
                status=self.status,
            )
        self._record(
            SalesOrderCancelled(
                occurred_at=utc(occurred_at),
                order_id=self._id,
                reason=reason,
                order_number=self.number,
                customer_id=self.customer_id,
            )
        )

    def record_stock_released(
        self, lines: Sequence[QuantityLine], *, occurred_at: datetime
    ) -> bool:
        if self.status != CANCELLED or self.stock_released:
            return False
        self._record(
            OrderStockReleased(occurred_at=utc(occurred_at), order_id=self._id, lines=tuple(lines))
        )
        return True

    def record_shipment(
        self,
        shipment_id: UUID,
        number: str,
        lines: Sequence[QuantityLine],
        *,
        occurred_at: datetime,
    ) -> bool:
        """A dispatch is a fact in the warehouse: recorded once per shipment, whatever the
        order's status said (a reservation report may still be on its way). Finance's invoice
        travels on another topic and may have come first: an order shipped in full whose
        every shipment is already invoiced is `invoiced` at once (and completed if paid)."""
        if shipment_id in self.shipments or not self.exists:
            return False
        shipped = {line.sku: line.shipped for line in self.lines.values()}
        known = tuple(line for line in lines if line.sku in self.lines)
        for line in known:
            shipped[line.sku] += line.qty
        complete = all(shipped[sku] >= line.qty for sku, line in self.lines.items())
        self._record(
            OrderShipmentRecorded(
                occurred_at=utc(occurred_at),
                order_id=self._id,
                shipment_id=shipment_id,
                shipment_number=number,
                lines=known,
                status=SHIPPED if complete else PARTIALLY_SHIPPED,
            )
        )
        if complete and len(self.invoices) >= len(self.shipments):
            self._record(OrderFullyInvoiced(occurred_at=utc(occurred_at), order_id=self._id))
            self._complete_if_paid(utc(occurred_at))
        return True

    def record_invoice(
        self, invoice_id: UUID, number: str, total: Decimal, *, occurred_at: datetime
    ) -> bool:
        """Finance invoices each shipment; the order is `invoiced` once it is shipped in full
        and every shipment has its invoice."""
        if invoice_id in self.invoices or not self.exists:
            return False
        all_invoiced = len(self.invoices) + 1 >= len(self.shipments)
        status = INVOICED if self.status in {SHIPPED, INVOICED} and all_invoiced else self.status
        self._record(
            OrderInvoiced(
                occurred_at=utc(occurred_at),
                order_id=self._id,
                invoice_id=invoice_id,
                invoice_number=number,
                total=total,
                status=status,
            )
        )
        return True

    def record_settlement(self, invoice_id: UUID, *, occurred_at: datetime) -> bool:
        """An invoice of the order is paid in full; the last one completes an invoiced order."""
        if self.invoices.get(invoice_id) is not False:
            return False
        when = utc(occurred_at)
        self._record(
            OrderInvoiceSettled(occurred_at=when, order_id=self._id, invoice_id=invoice_id)
        )
        self._complete_if_paid(when)
        return True

    def _complete_if_paid(self, when: datetime) -> None:
        if self.status == INVOICED and all(self.invoices.values()):
            self._record(
                SalesOrderCompleted(
                    occurred_at=when,
                    order_id=self._id,
                    order_number=self.number,
                    customer_id=self.customer_id,
                )
            )

    def request_return(
        self,
        return_id: UUID,
        number: str,
        lines: Sequence[QuantityLine],
        reason: str,
        *,
        occurred_at: datetime,
    ) -> SalesReturnRequested:
        """销售退货: per line at most shipped − already returned (or asked back)."""
        if return_id in self.returns:
            raise AlreadyExists(f"return {return_id} already exists")
        if not lines:
            raise InvalidQuantity("a return needs at least one line")
        returned: list[OrderLine] = []
        for line in lines:
            qty = positive_qty(line.qty, line.sku)
            state = self.lines.get(line.sku)
            returnable = state.returnable if state is not None else ZERO
            if state is None or qty > returnable:
                raise ReturnExceedsShipped(
                    f"cannot return {qty} of {line.sku}: {returnable} shipped and not returned",
                    sku=line.sku,
                    returnable=returnable,
                )
            returned.append(state.as_order_line(qty))
        event = SalesReturnRequested(
            occurred_at=utc(occurred_at),
            return_id=return_id,
            return_number=number,
            order_id=self._id,
            order_number=self.number,
            customer_id=self.customer_id,
            warehouse_id=self.warehouse_id,
            lines=tuple(returned),
            reason=reason,
        )
        self._record(event)
        return event

    def record_customer_return(
        self, return_id: UUID, lines: Sequence[QuantityLine], *, occurred_at: datetime
    ) -> bool:
        """Inventory received goods back: counted once per return (a requested return keeps
        its id when inventory executes it)."""
        if not self.exists or return_id in self.received_returns:
            return False
        known = tuple(line for line in lines if line.sku in self.lines)
        self._record(
            CustomerReturnRecorded(
                occurred_at=utc(occurred_at), order_id=self._id, return_id=return_id, lines=known
            )
        )
        return True

    @property
    def _id(self) -> UUID:
        if self.order_id is None:
            raise InvalidState("sales order does not exist")
        return self.order_id

    def _apply(self, event: DomainEvent) -> None:
        match event:
            case SalesOrderPlaced():
                self.order_id, self.number = event.order_id, event.order_number
                self.customer_id, self.warehouse_id = event.customer_id, event.warehouse_id
                self.total, self.status = event.total, PLACED
                self.lines = {
                    li.sku: LineState(li.sku, li.qty, li.unit_price, li.tax_rate)
                    for li in event.lines
                }
            case SalesOrderConfirmed():
                self.status = CONFIRMED
            case SalesOrderBackordered():
                self.status = BACKORDERED
            case SalesOrderCancelled():
                self.status = CANCELLED
            case OrderStockReleased():
                self.stock_released = True
            case OrderShipmentRecorded():
                self.shipments.add(event.shipment_id)
                for line in event.lines:
                    self.lines[line.sku].shipped += line.qty
                self.status = event.status
            case SalesReturnRequested():
                self.returns.add(event.return_id)
                for back in event.lines:
                    self.lines[back.sku].return_requested += back.qty
            case CustomerReturnRecorded():
                self.received_returns.add(event.return_id)
                for got in event.lines:
                    self.lines[got.sku].returned += got.qty
            case _:
                self._apply_billing(event)

    def _apply_billing(self, event: DomainEvent) -> None:
        match event:
            case OrderInvoiced():
                self.invoices[event.invoice_id] = False
                self.status = event.status
            case OrderFullyInvoiced():
                self.status = INVOICED
            case OrderInvoiceSettled():
                self.invoices[event.invoice_id] = True
            case SalesOrderCompleted():
                self.status = COMPLETED
            case _:
                raise self._cannot_apply(event)
