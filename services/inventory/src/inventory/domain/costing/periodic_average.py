"""月末一次加权平均 (periodic weighted average): the month-end restatement of one stock item.

During an open month every movement is costed as under the moving average — that running
average is the *provisional* cost an issue carries (the last known average, so stock value
never goes wrong while the month is open). When the month is closed:

    month average = (opening value + receipts value) ÷ (opening qty + receipts qty)

- opening = the balance just before the month's first instant (UTC calendar month);
- receipts = every inbound movement of the month at its recorded value (purchases, transfers
  in, gains), except customer returns; purchase returns (采购退货) count as negative receipts
  at the value they left with (红字入库);
- restated at the average: issues (StockIssued, 销售出库) and customer returns (销售退回,
  a 红字出库: a negative issue). Both post against 6401, so the whole change is COGS.
  出库清零: an issue that empties the stock takes the whole remaining value.
- other outbound movements (transfers out, losses, purchase returns) keep their provisional
  cost: their counter-accounts (in-transit stock, 1901, GRNI) were settled when they happened.

So closing value = opening + receipts − issues at the average (− the other outbounds).
Movements after the month keep their recorded costs; only their running balances move (the
next month's opening includes this restatement, so its own month end uses it).
"""

from bisect import bisect_left
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from inventory.domain.events import RevaluedMovement, StockIssued
from inventory.domain.quantities import ZERO, money_of, quantize_cost
from inventory.domain.stock_ledger import revalued_movement
from inventory.domain.valuation import Movement, StockPosition, ValuedMovement, restate, settle
from inventory.domain.vocabulary import DocumentType, MovementDirection

_FOUR_DAYS = timedelta(days=4)


@dataclass(frozen=True, slots=True)
class MonthEndRestatement:
    period: str
    average_cost: Decimal
    adjustments: tuple[RevaluedMovement, ...]
    final_position: StockPosition

    @property
    def value_delta(self) -> Decimal:
        return sum((a.stock_value_change for a in self.adjustments), ZERO)


def month_bounds(period: str) -> tuple[datetime, datetime]:
    """[first instant, first instant of the next month) of ``yyyy-mm`` in UTC."""
    start = datetime.strptime(period, "%Y-%m").replace(tzinfo=UTC)
    following = (start.replace(day=28) + _FOUR_DAYS).replace(day=1)
    return start, following


def is_restated(movement: Movement) -> bool:
    return movement.movement_type == StockIssued.event_type or (
        movement.document_type is DocumentType.CUSTOMER_RETURN
        and movement.direction is MovementDirection.IN
    )


def restate_month(entries: tuple[ValuedMovement, ...], period: str) -> MonthEndRestatement | None:
    """The month's restatement, or None when nothing in it is to be restated (no issue, no
    stock to average, or — month end run twice — every issue already at the average)."""
    start, end = month_bounds(period)
    times = [entry.movement.occurred_at for entry in entries]
    first, stop = bisect_left(times, start), bisect_left(times, end)
    opening = entries[first - 1].after if first else StockPosition()
    month = entries[first:stop]
    average = month_average(opening, [entry.movement for entry in month])
    if average is None:
        return None
    walked = _restated_walk(opening, month, average)
    changed = tuple(
        revalued_movement(old.movement, new.movement)
        for old, new in zip(month, walked, strict=True)
        if not old.movement.same_cost_as(new.movement)
    )
    if not changed:
        return None
    later = restate((entry.movement for entry in entries[stop:]), walked[-1].after)
    final = later[-1].after if later else walked[-1].after
    return MonthEndRestatement(period, average, changed, final)


def month_average(opening: StockPosition, month: list[Movement]) -> Decimal | None:
    qty, value = opening.qty, opening.value
    for movement in month:
        if movement.document_type is DocumentType.PURCHASE_RETURN:
            qty, value = qty - movement.qty, value - movement.value
        elif movement.direction is MovementDirection.IN and not is_restated(movement):
            qty, value = qty + movement.qty, value + movement.value
    if qty <= 0 or not any(is_restated(movement) for movement in month):
        return None
    return quantize_cost(value / qty)


def _restated_walk(
    opening: StockPosition, month: tuple[ValuedMovement, ...], average: Decimal
) -> list[ValuedMovement]:
    position, walked = opening, []
    for entry in month:
        movement = entry.movement
        if is_restated(movement):
            movement = replace(
                movement, unit_cost=average, value=_value_at(position, movement, average)
            )
        valued = settle(position, movement)
        walked.append(valued)
        position = valued.after
    return walked


def _value_at(position: StockPosition, movement: Movement, average: Decimal) -> Decimal:
    qty_after = position.qty - movement.qty
    if movement.direction is MovementDirection.OUT and position.qty > 0 and qty_after <= 0:
        # 出库清零: the issue that empties the stock takes all that is left.
        return position.value - money_of(qty_after, average)
    return money_of(movement.qty, average)
