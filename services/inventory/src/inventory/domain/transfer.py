"""调拨: a two-step transfer between warehouses, draft → in_transit → received.

Stream ``transfer-{transfer_id}``. Dispatch takes the goods out of the source at its moving
average; they stay in transit on the source stock item (qty and value) until the destination
receives them at exactly the value that left, so the transfer neither creates nor loses value.
Receiving takes every line in full; a loss on the road is an adjustment at the destination.
"""

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from inventory.domain.aggregate import Aggregate
from inventory.domain.document_events import (
    QuantityLine,
    StockTransferDispatched,
    StockTransferred,
    ValuedLine,
)
from inventory.domain.document_lines import OutboundLine, merged_quantities
from inventory.domain.errors import InvalidState, InvalidTimestamp, InvalidTransfer
from inventory.domain.events import BinPick, DomainEvent, StockMovement
from inventory.domain.quantities import ZERO, utc
from inventory.domain.shipment_picks import picks_of
from inventory.domain.stock_item import StockItem
from inventory.domain.stock_items import require_stock_items


def transfer_stream_id(transfer_id: UUID) -> str:
    return f"transfer-{transfer_id}"


class TransferStatus(StrEnum):
    DRAFT = "draft"
    IN_TRANSIT = "in_transit"
    RECEIVED = "received"


class Transfer(Aggregate):
    def __init__(self) -> None:
        super().__init__()
        self.transfer_id: UUID | None = None
        self.transfer_number = ""
        self.source_warehouse_id = ""
        self.destination_warehouse_id = ""
        self.status = TransferStatus.DRAFT
        self.lines: tuple[ValuedLine, ...] = ()
        self.dispatched_at: datetime | None = None

    def dispatch(
        self,
        transfer_id: UUID,
        transfer_number: str,
        source_warehouse_id: str,
        destination_warehouse_id: str,
        lines: Sequence[QuantityLine | OutboundLine],
        source_items: Mapping[str, StockItem],
        *,
        occurred_at: datetime,
    ) -> StockTransferDispatched:
        """调拨出库 at moving-average cost; each sku from the one lot/location its lines name,
        else FEFO. The lots travel with the goods (``ValuedLine.picks``)."""
        if self.status is not TransferStatus.DRAFT:
            raise InvalidState(f"transfer {self.transfer_number} is already {self.status}")
        if source_warehouse_id == destination_warehouse_id:
            raise InvalidTransfer("a transfer needs two different warehouses")
        totals = merged_quantities(lines)
        require_stock_items(source_items, totals, source_warehouse_id)
        for sku, qty in totals.items():
            source_items[sku].ensure_can_take(qty)
        bins = {sku: named_bin(sku, lines) for sku in totals}
        sent = []
        for sku, qty in totals.items():
            out = source_items[sku].transfer_out(
                qty,
                transfer_id=transfer_id,
                destination_warehouse_id=destination_warehouse_id,
                document=transfer_number,
                occurred_at=occurred_at,
                location=bins[sku][0],
                lot=bins[sku][1],
            )
            sent.append(
                ValuedLine(
                    sku=sku,
                    qty=qty,
                    unit_cost=out.unit_cost,
                    value=out.value,
                    picks=lots_sent(out, source_items[sku]),
                )
            )
        event = StockTransferDispatched(
            occurred_at=utc(occurred_at),
            transfer_id=transfer_id,
            transfer_number=transfer_number,
            source_warehouse_id=source_warehouse_id,
            destination_warehouse_id=destination_warehouse_id,
            lines=tuple(sent),
        )
        self._record(event)
        return event

    def receive(
        self,
        source_items: Mapping[str, StockItem],
        destination_items: Mapping[str, StockItem],
        *,
        occurred_at: datetime,
    ) -> StockTransferred:
        transfer_id = self._in_transit_id()
        when = utc(occurred_at)
        if self.dispatched_at is not None and when < self.dispatched_at:
            raise InvalidTimestamp("goods cannot arrive before they were dispatched")
        skus = [line.sku for line in self.lines]
        require_stock_items(source_items, skus, self.source_warehouse_id)
        require_stock_items(destination_items, skus, self.destination_warehouse_id)
        for line in self.lines:
            destination_items[line.sku].transfer_in(
                line.qty,
                line.unit_cost,
                line.value,
                transfer_id=transfer_id,
                source_warehouse_id=self.source_warehouse_id,
                document=self.transfer_number,
                occurred_at=when,
                picks=lots_arriving(line),
            )
            source_items[line.sku].deliver_transfer(transfer_id, occurred_at=when)
        event = StockTransferred(
            occurred_at=when,
            transfer_id=transfer_id,
            transfer_number=self.transfer_number,
            source_warehouse_id=self.source_warehouse_id,
            destination_warehouse_id=self.destination_warehouse_id,
            lines=self.lines,
        )
        self._record(event)
        return event

    def _in_transit_id(self) -> UUID:
        if self.status is not TransferStatus.IN_TRANSIT or self.transfer_id is None:
            raise InvalidState(f"transfer is {self.status}; only one in transit can be received")
        return self.transfer_id

    def _apply(self, event: DomainEvent) -> None:
        match event:
            case StockTransferDispatched():
                self.transfer_id, self.transfer_number = event.transfer_id, event.transfer_number
                self.source_warehouse_id = event.source_warehouse_id
                self.destination_warehouse_id = event.destination_warehouse_id
                self.lines = event.lines
                self.dispatched_at = event.occurred_at
                self.status = TransferStatus.IN_TRANSIT
            case StockTransferred():
                self.status = TransferStatus.RECEIVED
            case _:
                raise self._cannot_apply(event)


def lots_sent(out: StockMovement, source: StockItem) -> tuple[BinPick, ...]:
    """The source bins a transfer took, each with its lot's expiry (the lots travel)."""
    return tuple(replace(pick, expiry=source.bins.expiry_of(pick.lot)) for pick in picks_of(out))


def lots_arriving(line: ValuedLine) -> tuple[BinPick, ...]:
    """The lots a transfer brings in, at the destination's default location (a clerk puts
    them away with a bin move); nothing when no lot travelled."""
    if not any(pick.lot for pick in line.picks):
        return ()
    by_lot: dict[str | None, BinPick] = {}
    for pick in line.picks:
        known = by_lot.get(pick.lot)
        qty = pick.qty + (known.qty if known else ZERO)
        by_lot[pick.lot] = BinPick(location=None, lot=pick.lot, qty=qty, expiry=pick.expiry)
    return tuple(by_lot.values())


def named_bin(
    sku: str, lines: Sequence[QuantityLine | OutboundLine]
) -> tuple[str | None, str | None]:
    """The (location, lot) a transfer's lines of ``sku`` name — (None, None) for FEFO. A
    transfer moves one stock movement per sku, so its lines must agree on one bin."""
    named = {
        (line.location, line.lot) if isinstance(line, OutboundLine) else (None, None)
        for line in lines
        if line.sku == sku
    }
    if len(named) > 1:
        raise InvalidTransfer(
            f"the lines of {sku} name different lots/locations: send one transfer per bin",
            sku=sku,
        )
    return named.pop()
