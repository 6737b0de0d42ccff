"""Moving weighted average valuation (移动加权平均), as pure functions over movements.

The same functions cost a live movement and re-cost later ones after a backdated insert, so
live and recomputed values can never disagree.

Rules, for one sku in one warehouse, walking movements in business-time order:
- 移动加权平均: inbound new cost = (old value + receipt value) / (old qty + receipt qty);
  the average is ``value / qty`` (6 dp) whenever qty > 0, otherwise the last cost.
- Outbound is costed at the current average: value = round_half_up(qty × average, 2).
  出库清零: an outbound that empties the stock takes the whole remaining value (no rounding
  residue is left behind); one that crosses below zero takes the whole value plus the
  negative part at the average.
- Inbound onto negative stock (only under the ALLOW policy): the new average is the
  inbound unit cost and value_after = qty_after × unit_cost; the gap to value_before + value
  is the movement's ``cost_variance`` (the cost of goods issued while negative, to COGS).
- GIVEN-cost movements keep their recorded value; AVERAGE-cost ones are re-derived.
"""

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from inventory.domain.quantities import ZERO, money_of, quantize_cost
from inventory.domain.vocabulary import CostBasis, DocumentType, MovementDirection


@dataclass(frozen=True, slots=True)
class StockPosition:
    qty: Decimal = ZERO
    value: Decimal = ZERO
    average_cost: Decimal = ZERO


@dataclass(frozen=True, slots=True, kw_only=True)
class Movement:
    """A movement as valuation sees it: ``qty`` and ``value`` are magnitudes."""

    movement_id: UUID
    movement_type: str
    document: str
    occurred_at: datetime
    direction: MovementDirection
    cost_basis: CostBasis
    qty: Decimal
    unit_cost: Decimal = ZERO
    value: Decimal = ZERO
    cost_variance: Decimal = ZERO
    #: Known once recorded (the month-end average tells issues from returns by it).
    document_type: DocumentType | None = None
    #: An outbound under FIFO that takes these inbound documents' cost layers first (a
    #: return to the supplier: its PO's receipts); the moving averages ignore it.
    cost_layers_from: tuple[str, ...] = ()

    def same_cost_as(self, other: "Movement") -> bool:
        return (self.unit_cost, self.value, self.cost_variance) == (
            other.unit_cost,
            other.value,
            other.cost_variance,
        )


@dataclass(frozen=True, slots=True)
class ValuedMovement:
    movement: Movement
    before: StockPosition
    after: StockPosition


def value_movement(position: StockPosition, movement: Movement) -> ValuedMovement:
    """Cost ``movement`` given ``position``, the stock just before it in business time."""
    if movement.direction is MovementDirection.OUT:
        priced = _price_outbound(position, movement)
    else:
        priced = _price_inbound(position, movement)
    return settle(position, priced)


def revalue(
    movements: Iterable[Movement], opening: StockPosition | None = None
) -> list[ValuedMovement]:
    """Re-cost movements given in business-time order, starting from ``opening``.

    Inbound GIVEN costs stay fixed; AVERAGE-cost movements (issues, transfers out, losses,
    gains at average) take the average at their point in time.
    """
    position = StockPosition() if opening is None else opening
    valued_movements = []
    for movement in movements:
        valued = value_movement(position, movement)
        valued_movements.append(valued)
        position = valued.after
    return valued_movements


def restate(
    movements: Iterable[Movement], opening: StockPosition | None = None
) -> list[ValuedMovement]:
    """Running balances of already-costed movements (their values are taken as recorded)."""
    position = StockPosition() if opening is None else opening
    valued_movements = []
    for movement in movements:
        valued = settle(position, movement)
        valued_movements.append(valued)
        position = valued.after
    return valued_movements


def settle(position: StockPosition, movement: Movement) -> ValuedMovement:
    """Balance after a costed movement; the average is value/qty while qty > 0, else the
    inbound's own cost (negative-stock reset) or the last average (outbound)."""
    if movement.direction is MovementDirection.IN:
        qty = position.qty + movement.qty
        value = position.value + movement.value + movement.cost_variance
    else:
        qty = position.qty - movement.qty
        value = position.value - movement.value
    if qty > 0:
        average_cost = quantize_cost(value / qty)
    elif movement.direction is MovementDirection.IN:
        average_cost = movement.unit_cost
    else:
        average_cost = position.average_cost
    return ValuedMovement(movement, position, StockPosition(qty, value, average_cost))


def _price_outbound(position: StockPosition, movement: Movement) -> Movement:
    if movement.cost_basis is CostBasis.GIVEN:
        return movement
    unit_cost = position.average_cost
    qty_after = position.qty - movement.qty
    if position.qty > 0 and qty_after <= 0:
        # 出库清零: take the whole remaining value, plus any negative part at the average.
        value = position.value - money_of(qty_after, unit_cost)
    else:
        value = money_of(movement.qty, unit_cost)
    return replace(movement, unit_cost=unit_cost, value=value, cost_variance=ZERO)


def _price_inbound(position: StockPosition, movement: Movement) -> Movement:
    if movement.cost_basis is CostBasis.AVERAGE:
        unit_cost = position.average_cost
        movement = replace(movement, unit_cost=unit_cost, value=money_of(movement.qty, unit_cost))
    variance = ZERO
    if position.qty < 0:
        # 负库存入库: value_after = qty_after × unit cost; the gap is a cost variance.
        value_after = money_of(position.qty + movement.qty, movement.unit_cost)
        variance = value_after - position.value - movement.value
    return replace(movement, cost_variance=variance)
