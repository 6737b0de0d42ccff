"""调拨: two steps — dispatched (in transit, still valued on the source) then received."""

from typing import Any

from eventkit import NotFound
from eventkit.numbering import next_document_number
from inventory.application.commands import DispatchTransfer, ReceiveTransfer
from inventory.application.unit_of_work import InventoryUnitOfWork
from inventory.domain.transfer import Transfer, transfer_stream_id


async def dispatch_transfer(uow: InventoryUnitOfWork, cmd: DispatchTransfer) -> dict[str, Any]:
    await uow.warehouse(cmd.source_warehouse_id)
    await uow.warehouse(cmd.destination_warehouse_id)
    skus = [line.sku for line in cmd.lines]
    source = await uow.stock_items(skus, cmd.source_warehouse_id, opened_at=cmd.occurred_at)
    transfer = await uow.get(Transfer, transfer_stream_id(cmd.transfer_id))
    number = await next_document_number(uow.conn, "TR", cmd.occurred_at.date())
    transfer.dispatch(
        cmd.transfer_id,
        number,
        cmd.source_warehouse_id,
        cmd.destination_warehouse_id,
        cmd.lines,
        source,
        occurred_at=cmd.occurred_at,
    )
    return {"transfer_id": str(cmd.transfer_id), "transfer_number": number, "status": "in_transit"}


async def receive_transfer(uow: InventoryUnitOfWork, cmd: ReceiveTransfer) -> dict[str, Any]:
    transfer = await uow.get(Transfer, transfer_stream_id(cmd.transfer_id))
    if transfer.version == 0:
        raise NotFound("transfer", cmd.transfer_id)
    skus = [line.sku for line in transfer.lines]
    source = await uow.stock_items(skus, transfer.source_warehouse_id, opened_at=cmd.occurred_at)
    destination = await uow.stock_items(
        skus, transfer.destination_warehouse_id, opened_at=cmd.occurred_at
    )
    transfer.receive(source, destination, occurred_at=cmd.occurred_at)
    return {
        "transfer_id": str(cmd.transfer_id),
        "transfer_number": transfer.transfer_number,
        "status": "received",
        "destination_warehouse_id": transfer.destination_warehouse_id,
        "skus": skus,
    }
