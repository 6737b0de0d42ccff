"""销售退货入库 against the RMA sales authorised, and the RMAs inventory learns from sales.

A customer return is received only against an RMA (sales' `SalesReturnRequested`, whose
`return_id` is the RMA id): the RMA is checked and charged first, then the goods go back into
stock on the order's allocation at the cost they were shipped at — one transaction, so a
refused return writes nothing.
"""

from datetime import UTC, datetime
from typing import Any

from erp_contracts.events.sales import SalesReturnRequested
from eventkit.errors import NotYetKnown
from inventory.application.commands import ReceiveCustomerReturn
from inventory.application.shipping import receive_customer_return as put_back_into_stock
from inventory.application.unit_of_work import InventoryUnitOfWork
from inventory.domain.document_events import QuantityLine
from inventory.domain.errors import RmaNotFound
from inventory.domain.return_authorisation import (
    ReturnAuthorisation,
    return_authorisation_stream_id,
)


class RmaNotYetKnown(NotYetKnown):
    """An RMA id inventory has not heard of from sales (yet): 409 `rma_not_found` with
    Retry-After, like every other id another service owns (docs/eventkit.md, `not_yet_known`):
    an RMA requested a moment ago may still be on its way from sales."""

    code = "rma_not_found"


async def receive_customer_return(
    uow: InventoryUnitOfWork, cmd: ReceiveCustomerReturn
) -> dict[str, Any]:
    if cmd.rma_id is None:
        raise RmaNotFound(
            "no RMA covers this customer return: sales authorises returns "
            "(POST /orders/{order_id}/returns); name its return_id as rma_id"
        )
    rma = await uow.get(ReturnAuthorisation, return_authorisation_stream_id(cmd.rma_id))
    if not rma.known:
        raise RmaNotYetKnown("RMA", cmd.rma_id, "sales")
    rma.receive(cmd.return_id, cmd.order_id, cmd.lines, occurred_at=cmd.occurred_at)
    received = await put_back_into_stock(uow, cmd)
    return received | {"rma_id": str(cmd.rma_id), "rma_number": rma.rma_number}


async def on_sales_return_requested(uow: InventoryUnitOfWork, event: SalesReturnRequested) -> None:
    rma = await uow.get(ReturnAuthorisation, return_authorisation_stream_id(event.return_id))
    if rma.known:
        return  # already recorded (a replayed or duplicated event)
    rma.record_authorised(
        event.return_id,
        event.return_number,
        event.order_id,
        event.warehouse_id,
        [QuantityLine(sku=line.sku, qty=line.qty) for line in event.lines],
        occurred_at=datetime.now(UTC),
    )
