"""Issuing one sku of a shipment from the bins the clerk named, else FEFO (先到期先出)."""

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from inventory.domain.document_events import QuantityLine, ValuedLine
from inventory.domain.document_lines import OutboundLine
from inventory.domain.events import BinPick, StockMovement
from inventory.domain.quantities import ZERO, quantize_cost
from inventory.domain.stock_item import StockItem


def ship_sku(
    stock: StockItem,
    qty: Decimal,
    lines: Sequence[QuantityLine | OutboundLine],
    *,
    document: str,
    occurred_at: datetime,
    order_id: UUID,
) -> ValuedLine:
    """Issue ``qty`` of the stock item's sku: first each line naming a lot or location from
    there, then the rest FEFO. One valued line per sku, listing every pick."""
    named = [
        line for line in lines if isinstance(line, OutboundLine) and (line.lot or line.location)
    ]
    issued: list[StockMovement] = [
        stock.issue(
            line.qty,
            document=document,
            occurred_at=occurred_at,
            order_id=order_id,
            lot=line.lot,
            location=line.location,
        )
        for line in named
    ]
    rest = qty - sum((line.qty for line in named), ZERO)
    if rest > 0 or not issued:
        issued.append(
            stock.issue(rest, document=document, occurred_at=occurred_at, order_id=order_id)
        )
    return valued_line(issued)


def valued_line(movements: Sequence[StockMovement]) -> ValuedLine:
    """One document line from the movements of one sku (picks kept when bins are named)."""
    first = movements[0]
    qty = sum((m.qty for m in movements), ZERO)
    value = sum((m.value for m in movements), ZERO)
    unit_cost = first.unit_cost if len(movements) == 1 else quantize_cost(value / qty)
    return ValuedLine(
        sku=first.sku,
        qty=qty,
        unit_cost=unit_cost,
        value=value,
        cost_variance=sum((m.cost_variance for m in movements), ZERO),
        picks=tuple(pick for m in movements for pick in picks_of(m)),
    )


def picks_of(movement: StockMovement) -> tuple[BinPick, ...]:
    """The bins a movement touched; none for the unnamed default bin with no lot."""
    if movement.picks:
        return movement.picks
    if movement.location is None and movement.lot is None:
        return ()
    return (BinPick(location=movement.location, lot=movement.lot, qty=movement.qty),)
