"""库存流水 of one stock item in business-time order, and the backdating arithmetic on it.

Movements are kept sorted by ``occurred_at``; movements with equal times stay in stream
(record) order. A backdated movement is costed at the position just before its business
time; only the movements after it are re-costed (``StockRevalued``), nothing earlier.
"""

from bisect import bisect_right
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import TypedDict
from uuid import UUID

from inventory.domain.events import RevaluedMovement, StockMovement
from inventory.domain.valuation import (
    Movement,
    StockPosition,
    ValuedMovement,
    restate,
    revalue,
    value_movement,
)
from inventory.domain.vocabulary import CostBasis, DocumentType, MovementDirection


@dataclass(frozen=True, slots=True)
class PricedMovement:
    """A command's movement costed at its business time, with the later movements re-costed."""

    valued: ValuedMovement
    later_before: tuple[ValuedMovement, ...]
    later_after: tuple[ValuedMovement, ...]

    @property
    def revaluations(self) -> tuple[RevaluedMovement, ...]:
        pairs = zip(self.later_before, self.later_after, strict=True)
        return tuple(
            revalued_movement(old.movement, new.movement)
            for old, new in pairs
            if not old.movement.same_cost_as(new.movement)
        )

    @property
    def final_position(self) -> StockPosition:
        return self.later_after[-1].after if self.later_after else self.valued.after


class StockLedger:
    """Mutated only from ``StockItem._apply``; queries are pure."""

    def __init__(self) -> None:
        self._entries: list[ValuedMovement] = []
        self._times: list[datetime] = []

    @property
    def entries(self) -> tuple[ValuedMovement, ...]:
        return tuple(self._entries)

    @property
    def position(self) -> StockPosition:
        return self._entries[-1].after if self._entries else StockPosition()

    def price(self, movement: Movement) -> PricedMovement:
        index = bisect_right(self._times, movement.occurred_at)
        before = self._entries[index - 1].after if index else StockPosition()
        valued = value_movement(before, movement)
        later = tuple(self._entries[index:])
        recosted = tuple(revalue((entry.movement for entry in later), valued.after))
        return PricedMovement(valued, later, recosted)

    def lowest_qty_from(self, occurred_at: datetime) -> Decimal:
        """The lowest running qty at or after ``occurred_at``: what a movement backdated to
        then may take out without the history dipping below zero."""
        index = bisect_right(self._times, occurred_at)
        before = self._entries[index - 1].after.qty if index else Decimal(0)
        return min([before, *(entry.after.qty for entry in self._entries[index:])])

    def insert(self, movement: Movement, after: StockPosition) -> None:
        index = bisect_right(self._times, movement.occurred_at)
        before = self._entries[index - 1].after if index else StockPosition()
        self._entries.insert(index, ValuedMovement(movement, before, after))
        self._times.insert(index, movement.occurred_at)

    def apply_revaluation(self, trigger: UUID, adjustments: tuple[RevaluedMovement, ...]) -> None:
        index = self._index_of(trigger)
        by_id = {adjustment.movement_id: adjustment for adjustment in adjustments}
        later = [_recosted(entry.movement, by_id) for entry in self._entries[index + 1 :]]
        self._entries[index + 1 :] = restate(later, self._entries[index].after)

    def restate_movements(self, adjustments: tuple[RevaluedMovement, ...]) -> None:
        """Take restated costs (a month-end cost adjustment) and re-run the balances from the
        earliest restated movement on."""
        by_id = {adjustment.movement_id: adjustment for adjustment in adjustments}
        if not by_id:
            return
        start = next(
            index
            for index, entry in enumerate(self._entries)
            if entry.movement.movement_id in by_id
        )
        opening = self._entries[start - 1].after if start else StockPosition()
        later = [_recosted(entry.movement, by_id) for entry in self._entries[start:]]
        self._entries[start:] = restate(later, opening)

    def _index_of(self, movement_id: UUID) -> int:
        for index in range(len(self._entries) - 1, -1, -1):
            if self._entries[index].movement.movement_id == movement_id:
                return index
        raise KeyError(movement_id)


def _recosted(movement: Movement, by_id: dict[UUID, RevaluedMovement]) -> Movement:
    adjustment = by_id.get(movement.movement_id)
    if adjustment is None:
        return movement
    return replace(
        movement,
        unit_cost=adjustment.unit_cost,
        value=adjustment.new_value,
        cost_variance=adjustment.new_cost_variance,
    )


def revalued_movement(old: Movement, new: Movement) -> RevaluedMovement:
    return RevaluedMovement(
        movement_id=old.movement_id,
        movement_type=old.movement_type,
        document=old.document,
        direction=old.direction,
        unit_cost=new.unit_cost,
        old_value=old.value,
        new_value=new.value,
        old_cost_variance=old.cost_variance,
        new_cost_variance=new.cost_variance,
    )


def movement_of(event: StockMovement) -> Movement:
    return Movement(
        movement_id=event.movement_id,
        movement_type=event.event_type,
        document=event.document,
        occurred_at=event.occurred_at,
        direction=event.direction,
        cost_basis=event.cost_basis,
        qty=event.qty,
        unit_cost=event.unit_cost,
        value=event.value,
        cost_variance=event.cost_variance,
        document_type=event.document_type,
        cost_layers_from=event.cost_layers_from,
    )


def position_after(event: StockMovement) -> StockPosition:
    return StockPosition(event.qty_after, event.value_after, event.average_cost_after)


class MovementFields(TypedDict):
    """The fields every ``StockMovement`` event shares, filled from a costed movement."""

    occurred_at: datetime
    sku: str
    warehouse_id: str
    movement_id: UUID
    document: str
    document_type: DocumentType
    direction: MovementDirection
    qty: Decimal
    cost_basis: CostBasis
    unit_cost: Decimal
    value: Decimal
    cost_variance: Decimal
    qty_before: Decimal
    qty_after: Decimal
    value_before: Decimal
    value_after: Decimal
    average_cost_after: Decimal
    lot: str | None
    location: str | None
    cost_layers_from: tuple[str, ...]


def movement_fields(
    sku: str,
    warehouse_id: str,
    valued: ValuedMovement,
    document_type: DocumentType,
    lot: str | None = None,
    location: str | None = None,
) -> MovementFields:
    movement = valued.movement
    return MovementFields(
        occurred_at=movement.occurred_at,
        sku=sku,
        warehouse_id=warehouse_id,
        movement_id=movement.movement_id,
        document=movement.document,
        document_type=document_type,
        direction=movement.direction,
        qty=movement.qty,
        cost_basis=movement.cost_basis,
        unit_cost=movement.unit_cost,
        value=movement.value,
        cost_variance=movement.cost_variance,
        qty_before=valued.before.qty,
        qty_after=valued.after.qty,
        value_before=valued.before.value,
        value_after=valued.after.value,
        average_cost_after=valued.after.average_cost,
        lot=lot,
        location=location,
        cost_layers_from=movement.cost_layers_from,
    )
