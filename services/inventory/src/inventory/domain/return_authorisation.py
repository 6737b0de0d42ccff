"""退货授权 (RMA): what sales authorised a customer to send back, and what came back so far.

Stream ``return-authorisation-{rma_id}``; the RMA id is sales' ``return_id`` on
``SalesReturnRequested``, from which the stream is opened. Every customer return (销售退货入库)
is received against one RMA and recorded here in the same transaction as its stock movement,
so two receipts against one RMA serialise on this stream's version and can never jointly
exceed it.

- receivable per sku = authorised − already received; a sku not on the RMA is authorised 0.
- An RMA covers one sales order: a receipt naming another order is not covered.
- Goods may come back in several deliveries (partial, then the rest); each is its own receipt.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import ClassVar
from uuid import UUID

from inventory.domain.aggregate import Aggregate
from inventory.domain.document_events import QuantityLine
from inventory.domain.document_lines import merged_quantities, quantity_lines
from inventory.domain.errors import AlreadyExists, RmaExceeded, RmaNotFound
from inventory.domain.events import DomainEvent
from inventory.domain.quantities import ZERO, utc


def return_authorisation_stream_id(rma_id: UUID) -> str:
    return f"return-authorisation-{rma_id}"


@dataclass(frozen=True, slots=True, kw_only=True)
class ReturnAuthorised(DomainEvent):
    """Sales authorised the return (its ``SalesReturnRequested``), learned by inventory."""

    event_type: ClassVar[str] = "ReturnAuthorised"
    rma_id: UUID
    rma_number: str
    order_id: UUID
    warehouse_id: str
    lines: tuple[QuantityLine, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class AuthorisedReturnReceived(DomainEvent):
    """A customer return (``return_id``, its ``CustomerReturnReceived``) taken against the RMA."""

    event_type: ClassVar[str] = "AuthorisedReturnReceived"
    rma_id: UUID
    return_id: UUID
    lines: tuple[QuantityLine, ...]


class ReturnAuthorisation(Aggregate):
    def __init__(self) -> None:
        super().__init__()
        self.rma_id: UUID | None = None
        self.rma_number = ""
        self.order_id: UUID | None = None
        self.warehouse_id = ""
        self.authorised: dict[str, Decimal] = {}
        self.received: dict[str, Decimal] = {}
        self.return_ids: set[UUID] = set()

    @property
    def known(self) -> bool:
        return self.rma_id is not None

    def receivable(self, sku: str) -> Decimal:
        return max(ZERO, self.authorised.get(sku, ZERO) - self.received.get(sku, ZERO))

    def record_authorised(
        self,
        rma_id: UUID,
        rma_number: str,
        order_id: UUID,
        warehouse_id: str,
        lines: Sequence[QuantityLine],
        *,
        occurred_at: datetime,
    ) -> ReturnAuthorised:
        if self.known:
            raise AlreadyExists(f"RMA {rma_id} is already recorded")
        event = ReturnAuthorised(
            occurred_at=utc(occurred_at),
            rma_id=rma_id,
            rma_number=rma_number,
            order_id=order_id,
            warehouse_id=warehouse_id,
            lines=quantity_lines(merged_quantities(lines)),
        )
        self._record(event)
        return event

    def receive(
        self,
        return_id: UUID,
        order_id: UUID,
        lines: Sequence[QuantityLine],
        *,
        occurred_at: datetime,
    ) -> AuthorisedReturnReceived:
        """Take a customer return against this RMA: refused, recording nothing, when the RMA
        is for another order or any sku exceeds what is still receivable on it."""
        if self.rma_id is None:
            raise RmaNotFound("no RMA covers this customer return")
        if self.order_id != order_id:
            raise RmaNotFound(
                f"RMA {self.rma_number} does not cover order {order_id}: it is for order "
                f"{self.order_id}",
                rma_id=str(self.rma_id),
                order_id=str(order_id),
            )
        if return_id in self.return_ids:
            raise AlreadyExists(f"customer return {return_id} is already received on this RMA")
        totals = merged_quantities(lines)
        for sku, qty in totals.items():
            self._check_receivable(sku, qty)
        event = AuthorisedReturnReceived(
            occurred_at=utc(occurred_at),
            rma_id=self.rma_id,
            return_id=return_id,
            lines=quantity_lines(totals),
        )
        self._record(event)
        return event

    def _check_receivable(self, sku: str, qty: Decimal) -> None:
        receivable = self.receivable(sku)
        if qty > receivable:
            authorised = self.authorised.get(sku, ZERO)
            raise RmaExceeded(
                f"returning {qty} of {sku} exceeds RMA {self.rma_number}: {authorised} "
                f"authorised, {self.received.get(sku, ZERO)} already returned",
                sku=sku,
                requested=str(qty),
                authorised=str(authorised),
                receivable=str(receivable),
            )

    def _apply(self, event: DomainEvent) -> None:
        match event:
            case ReturnAuthorised():
                self.rma_id, self.rma_number = event.rma_id, event.rma_number
                self.order_id, self.warehouse_id = event.order_id, event.warehouse_id
                self.authorised = {line.sku: line.qty for line in event.lines}
            case AuthorisedReturnReceived():
                self.return_ids.add(event.return_id)
                for line in event.lines:
                    self.received[line.sku] = self.received.get(line.sku, ZERO) + line.qty
            case _:
                raise self._cannot_apply(event)
