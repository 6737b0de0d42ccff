"""Finance's income statement over HTTP (`GET /ledger/profit-and-loss` of the finance
service), for the revenue reconciliation. Reporting reads finance only through its public
HTTP API, never its database."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import httpx

from eventkit.settings import service_url

REVENUE_ACCOUNT = "6001"  # 主营业务收入


class FinanceUnavailable(Exception):
    """Finance did not answer (or not with a statement): the reconciliation cannot run now."""


def finance_url() -> str:
    """`ERP_FINANCE_URL`, or the local stack's finance (architecture §2)."""
    return service_url("finance")


@dataclass(frozen=True)
class HttpFinanceLedger:
    base_url: str
    timeout: float = 10.0

    async def revenue(self, start: date | None, end: date | None, authorization: str) -> Decimal:
        """Account 6001's income over the days `start`..`end` inclusive (business time, UTC)."""
        params = {}
        if start is not None:
            params["from"] = _midnight(start)
        if end is not None:
            params["to"] = _midnight(end + timedelta(days=1))  # finance's `to` is exclusive
        try:
            async with httpx.AsyncClient(base_url=self.base_url, timeout=self.timeout) as client:
                response = await client.get(
                    "/ledger/profit-and-loss",
                    params=params,
                    headers={"Authorization": authorization},
                )
            response.raise_for_status()
            income = response.json()["income"]
        except (httpx.HTTPError, ValueError, KeyError, TypeError) as error:
            raise FinanceUnavailable(f"finance profit and loss: {error!r}") from error
        lines = [line for line in income if line.get("code") == REVENUE_ACCOUNT]
        return sum((Decimal(str(line["amount"])) for line in lines), Decimal("0.00"))


def _midnight(day: date) -> str:
    return datetime.combine(day, time.min, tzinfo=UTC).isoformat()
