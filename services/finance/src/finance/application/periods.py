"""Period close (结账) and reopening (反结账)."""

from datetime import UTC, datetime
from typing import Any

from finance.application.commands import ClosePeriod, ReopenPeriod
from finance.application.unit_of_work import FinanceUnitOfWork


async def close_period(uow: FinanceUnitOfWork, cmd: ClosePeriod) -> dict[str, Any]:
    periods = await uow.periods()
    periods.close(cmd.period, occurred_at=datetime.now(UTC))
    return {"period": cmd.period, "status": "closed"}


async def reopen_period(uow: FinanceUnitOfWork, cmd: ReopenPeriod) -> dict[str, Any]:
    periods = await uow.periods()
    periods.reopen(cmd.period, cmd.reason, occurred_at=datetime.now(UTC))
    return {"period": cmd.period, "status": "open", "reason": cmd.reason.strip()}
