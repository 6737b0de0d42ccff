"""Closed periods: learnt from finance (closed, reopened), enforced on every dated clerk
command."""

from datetime import UTC, datetime
from typing import Any

from erp_contracts.events.finance import PeriodClosed, PeriodReopened
from inventory.application.costing import close_month_costing
from inventory.application.unit_of_work import InventoryUnitOfWork


async def on_period_closed(uow: InventoryUnitOfWork, event: PeriodClosed) -> None:
    """Learn the closed month, and — in the same transaction — restate the month's issues of
    every periodic-average stock item (月末一次加权平均): nothing can be dated in the month
    any more, so its average is final."""
    periods = await uow.periods()
    periods.learn_closed(event.period, occurred_at=datetime.now(UTC))
    await close_month_costing(uow, event.period)


async def on_period_reopened(uow: InventoryUnitOfWork, event: PeriodReopened) -> None:
    periods = await uow.periods()
    periods.learn_reopened(event.period, event.reason, occurred_at=datetime.now(UTC))


async def require_open_period(uow: InventoryUnitOfWork, command: Any) -> None:
    """Refuse a command dated (its business time `occurred_at`) in a closed month."""
    occurred_at = getattr(command, "occurred_at", None)
    if isinstance(occurred_at, datetime):
        (await uow.periods()).require_open(occurred_at)
