"""What finance knows of a sales order (stream ``sales-order-<order_id>``): its prices from
sales, the shipments inventory dispatched and the returns it received back. Each shipment is
invoiced once and each return credited once, as soon as the order is known too — a shipment
or return may arrive before its order (no order across producers)."""

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID, uuid5

from finance.domain.aggregate import Aggregate
from finance.domain.events import (
    CustomerReturnRecorded,
    DomainEvent,
    InvoiceLine,
    OrderLine,
    QuantityLine,
    ReturnCredited,
    SalesOrderRecorded,
    ShipmentInvoiced,
    ShipmentRecorded,
)
from finance.domain.money import utc

_INVOICE_IDS = UUID("0f3e7c1a-9b52-4c8e-8d0e-5a4b3c2d1e0f")


def sales_order_stream_id(order_id: UUID) -> str:
    return f"sales-order-{order_id}"


def customer_invoice_id(shipment_id: UUID) -> UUID:
    """One invoice per shipment, whatever delivery brought it."""
    return uuid5(_INVOICE_IDS, str(shipment_id))


class SalesOrderBilling(Aggregate):
    def __init__(self) -> None:
        super().__init__()
        self.order_id: UUID | None = None
        self.customer_id = ""
        self.prices: dict[str, OrderLine] = {}
        self.shipments: dict[UUID, ShipmentRecorded] = {}
        self.invoiced: set[UUID] = set()
        #: The order's invoices, oldest first (a credit note is applied to them in this order).
        self.invoice_ids: list[UUID] = []
        self.returns: dict[UUID, CustomerReturnRecorded] = {}
        self.credited: set[UUID] = set()

    @property
    def exists(self) -> bool:
        return self.order_id is not None

    def record_order(
        self,
        order_id: UUID,
        order_number: str,
        customer_id: str,
        lines: Sequence[OrderLine],
        *,
        occurred_at: datetime,
    ) -> None:
        if not self.exists:
            self._record(
                SalesOrderRecorded(
                    occurred_at=utc(occurred_at),
                    order_id=order_id,
                    order_number=order_number,
                    customer_id=customer_id,
                    lines=tuple(lines),
                )
            )

    def record_shipment(
        self,
        order_id: UUID,
        shipment_id: UUID,
        lines: Sequence[QuantityLine],
        *,
        occurred_at: datetime,
    ) -> None:
        if shipment_id not in self.shipments:
            moment = utc(occurred_at)
            self._record(
                ShipmentRecorded(
                    occurred_at=moment,
                    order_id=order_id,
                    shipment_id=shipment_id,
                    shipped_on=moment.date(),
                    lines=tuple(lines),
                )
            )

    def shipments_to_invoice(self) -> list[tuple[ShipmentRecorded, tuple[InvoiceLine, ...]]]:
        """Shipments not yet invoiced, priced at the order's lines (none before the order)."""
        if not self.exists:
            return []
        return [
            (shipment, tuple(self._priced(line) for line in shipment.lines))
            for shipment_id, shipment in self.shipments.items()
            if shipment_id not in self.invoiced
        ]

    def mark_invoiced(self, shipment_id: UUID, invoice_id: UUID, *, occurred_at: datetime) -> None:
        if self.order_id is None:
            raise self.state_error("the sales order is not known")
        self._record(
            ShipmentInvoiced(
                occurred_at=utc(occurred_at),
                order_id=self.order_id,
                shipment_id=shipment_id,
                invoice_id=invoice_id,
            )
        )

    def record_return(
        self,
        order_id: UUID,
        return_id: UUID,
        lines: Sequence[QuantityLine],
        *,
        occurred_at: datetime,
    ) -> None:
        if return_id not in self.returns:
            moment = utc(occurred_at)
            self._record(
                CustomerReturnRecorded(
                    occurred_at=moment,
                    order_id=order_id,
                    return_id=return_id,
                    returned_on=moment.date(),
                    lines=tuple(lines),
                )
            )

    def returns_to_credit(self) -> list[tuple[CustomerReturnRecorded, tuple[InvoiceLine, ...]]]:
        """Returns not yet credited, priced at the order's lines (none before the order)."""
        if not self.exists:
            return []
        return [
            (received, tuple(self._priced(line, "returned") for line in received.lines))
            for return_id, received in self.returns.items()
            if return_id not in self.credited
        ]

    def mark_credited(self, return_id: UUID, note_id: UUID, *, occurred_at: datetime) -> None:
        if self.order_id is None:
            raise self.state_error("the sales order is not known")
        self._record(
            ReturnCredited(
                occurred_at=utc(occurred_at),
                order_id=self.order_id,
                return_id=return_id,
                credit_note_id=note_id,
            )
        )

    def _priced(self, line: QuantityLine, what: str = "shipped") -> InvoiceLine:
        ordered = self.prices.get(line.sku)
        if ordered is None:
            raise self.state_error(f"{line.sku} was {what} but is not on the order")
        return InvoiceLine(
            sku=line.sku, qty=line.qty, unit_price=ordered.unit_price, tax_rate=ordered.tax_rate
        )

    def _apply(self, event: DomainEvent) -> None:
        match event:
            case SalesOrderRecorded():
                self.order_id, self.customer_id = event.order_id, event.customer_id
                self.prices = {line.sku: line for line in event.lines}
            case ShipmentRecorded():
                self.shipments[event.shipment_id] = event
            case ShipmentInvoiced():
                self.invoiced.add(event.shipment_id)
                self.invoice_ids.append(event.invoice_id)
            case CustomerReturnRecorded():
                self.returns[event.return_id] = event
            case ReturnCredited():
                self.credited.add(event.return_id)
            case _:
                raise self._cannot_apply(event)
