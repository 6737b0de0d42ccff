"""The chart of accounts (会计科目): sub-accounts added, unused accounts disabled."""

from datetime import UTC, datetime
from typing import Any

from finance.adapters.projections.queries import balance_under
from finance.application.commands import AddAccount, DisableAccount
from finance.application.unit_of_work import FinanceUnitOfWork


async def add_account(uow: FinanceUnitOfWork, cmd: AddAccount) -> dict[str, Any]:
    chart = await uow.chart()
    added = chart.add(cmd.code, cmd.name, occurred_at=datetime.now(UTC))
    return {"code": added.code, "name": added.name, "parent": added.parent, "enabled": True}


async def disable_account(uow: FinanceUnitOfWork, cmd: DisableAccount) -> dict[str, Any]:
    chart = await uow.chart()
    # The ledger read model is current with every write committed before this request
    # (eventkit fresh reads); the balance includes the account's sub-accounts.
    balance = await balance_under(uow.conn, cmd.code)
    chart.disable(cmd.code, balance, occurred_at=datetime.now(UTC))
    return {"code": cmd.code, "name": chart.names[cmd.code], "enabled": False}
