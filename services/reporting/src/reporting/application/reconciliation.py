"""对账: reporting's net revenue must equal finance's 主营业务收入 (6001) over the same days.

Reporting's side is the net of the customer invoices less credit notes it holds, by document
date (`rm_report_customers.receivables`) — the same documents finance posts to 6001. A
difference means an event not yet consumed by one side (the two are eventually consistent:
run it on a quiet stack) or a real discrepancy to investigate.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from reporting.adapters.projections.customers import receivables


class FinanceLedger(Protocol):
    async def revenue(
        self, start: date | None, end: date | None, authorization: str
    ) -> Decimal: ...


@dataclass(frozen=True, slots=True)
class RevenueReconciliation:
    start: date | None
    end: date | None
    reporting: Decimal
    finance: Decimal

    @property
    def difference(self) -> Decimal:
        return self.reporting - self.finance

    def as_dict(self) -> dict[str, object]:
        return {
            "from": self.start,
            "to": self.end,
            "account": "6001",
            "reporting_revenue": self.reporting,
            "finance_revenue": self.finance,
            "difference": self.difference,
            "reconciled": self.difference == 0,
        }


def not_compared(
    start: date | None, end: date | None, reporting: Decimal, why: str
) -> dict[str, object]:
    """The answer when finance could not be asked: reporting's side only."""
    return {
        "from": start,
        "to": end,
        "account": "6001",
        "reporting_revenue": reporting,
        "finance_revenue": None,
        "difference": None,
        "reconciled": None,
        "finance_error": why,
    }


async def reporting_revenue(conn: AsyncConnection, start: date | None, end: date | None) -> Decimal:
    r = receivables.c
    query = select(func.coalesce(func.sum(r.net), Decimal("0.00"))).where(r.kind.is_not(None))
    if start is not None:
        query = query.where(r.day >= start)
    if end is not None:
        query = query.where(r.day <= end)
    return Decimal((await conn.execute(query)).scalar_one())


async def reconcile_revenue(
    conn: AsyncConnection,
    ledger: FinanceLedger,
    start: date | None,
    end: date | None,
    authorization: str,
) -> RevenueReconciliation:
    ours = await reporting_revenue(conn, start, end)
    theirs = await ledger.revenue(start, end, authorization)
    return RevenueReconciliation(start, end, ours, theirs)
