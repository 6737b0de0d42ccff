"""The costing commands of a ``StockItem``: month-end restatement (月末一次加权平均) and
learning the item's new costing method. Mixed into ``StockItem``."""

from datetime import datetime, timedelta

from inventory.domain.costing.periodic_average import month_bounds, restate_month
from inventory.domain.errors import InvalidState
from inventory.domain.events import StockCostAdjusted, StockCostingMethodChanged
from inventory.domain.quantities import utc
from inventory.domain.stock_item_state import StockItemState
from inventory.domain.vocabulary import CostingMethod

_LAST_MICROSECOND = timedelta(microseconds=1)


class StockItemCosting(StockItemState):
    def close_month(self, period: str) -> StockCostAdjusted | None:
        """Restate the closed month ``period``'s issues at its weighted average. Only for the
        periodic average; None when nothing changes (so a second run records nothing).

        The event's business time is the month's last instant: it belongs to that month's
        books (finance, whose month is closed, posts it on the next open month's first day)."""
        if self.costing_method is not CostingMethod.PERIODIC_AVERAGE or not self.is_open:
            return None
        restatement = restate_month(self.ledger, period)
        if restatement is None:
            return None
        final = restatement.final_position
        event = StockCostAdjusted(
            occurred_at=month_bounds(period)[1] - _LAST_MICROSECOND,
            sku=self.sku,
            warehouse_id=self.warehouse_id,
            period=period,
            period_average_cost=restatement.average_cost,
            adjustments=restatement.adjustments,
            value_delta=restatement.value_delta,
            value_after=final.value,
            average_cost_after=final.average_cost,
        )
        self._record(event)
        return event

    def change_costing_method(
        self, method: CostingMethod, *, occurred_at: datetime
    ) -> StockCostingMethodChanged | None:
        """Only while nothing is held here (on hand and in transit): the layers or averages
        of goods already in stock would otherwise have to be invented."""
        self._require_open()
        if method is self.costing_method:
            return None
        if self.on_hand != 0 or self.in_transit_out != 0:
            raise InvalidState(f"{self.sku} in {self.warehouse_id} still holds stock")
        event = StockCostingMethodChanged(
            occurred_at=utc(occurred_at),
            sku=self.sku,
            warehouse_id=self.warehouse_id,
            costing_method=method,
        )
        self._record(event)
        return event
