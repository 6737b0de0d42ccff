"""Accounting periods (结账), one stream ``accounting-periods``: which months are closed.

A document a clerk dates in a closed month is refused (`period_closed`). Another service's
event dated in a closed month is a fact already recorded elsewhere: it is posted at the first
instant of the next open month, so closed balances never change.

反结账: a finance admin may reopen the latest closed month, with a reason; it takes
backdated documents again until it is closed anew. Only the latest: reopening an earlier month
under a later closed one would let documents change balances a closed month was built on.
"""

import re
from datetime import UTC, date, datetime

from finance.domain.aggregate import Aggregate
from finance.domain.errors import FinanceError, InvalidInput, InvalidPeriod, InvalidState
from finance.domain.events import DomainEvent, PeriodClosed, PeriodReopened
from finance.domain.money import utc

PERIODS_STREAM = "accounting-periods"
_PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


class ClosedPeriod(FinanceError):
    code = "period_closed"


def period_of(day: date) -> str:
    return f"{day:%Y-%m}"


def month_bounds(period: str) -> tuple[datetime, datetime]:
    """[first instant, first instant of the next month) of a yyyy-mm period, in UTC."""
    match = _PERIOD.match(period)
    if match is None:
        raise InvalidPeriod(f"a period is yyyy-mm, got {period!r}")
    start = datetime(int(match[1]), int(match[2]), 1, tzinfo=UTC)
    return start, _next_month_start(start)


def _next_month_start(moment: datetime) -> datetime:
    year, month = (moment.year + 1, 1) if moment.month == 12 else (moment.year, moment.month + 1)
    return datetime(year, month, 1, tzinfo=UTC)


class AccountingPeriods(Aggregate):
    def __init__(self) -> None:
        super().__init__()
        self.closed: set[str] = set()

    def close(self, period: str, *, occurred_at: datetime) -> PeriodClosed:
        if not _PERIOD.match(period):
            raise InvalidPeriod(f"a period is yyyy-mm, got {period!r}")
        if period in self.closed:
            raise InvalidState(f"period {period} is already closed")
        event = PeriodClosed(occurred_at=utc(occurred_at), period=period)
        self._record(event)
        return event

    def reopen(self, period: str, reason: str, *, occurred_at: datetime) -> PeriodReopened:
        if not _PERIOD.match(period):
            raise InvalidPeriod(f"a period is yyyy-mm, got {period!r}")
        if not reason.strip():
            raise InvalidInput("a reopening needs a reason", field="reason")
        if period not in self.closed:
            raise InvalidState(f"period {period} is not closed")
        latest = max(self.closed)
        if period != latest:
            raise InvalidState(
                f"only the latest closed period ({latest}) can be reopened", latest=latest
            )
        event = PeriodReopened(occurred_at=utc(occurred_at), period=period, reason=reason.strip())
        self._record(event)
        return event

    def require_open(self, day: date) -> None:
        if period_of(day) in self.closed:
            raise ClosedPeriod(f"period {period_of(day)} is closed", period=period_of(day))

    def posting_time(self, moment: datetime) -> datetime:
        """`moment`, or the first instant of the next open month if its month is closed."""
        moment = utc(moment)
        while period_of(moment.date()) in self.closed:
            moment = _next_month_start(moment)
        return moment

    def _apply(self, event: DomainEvent) -> None:
        match event:
            case PeriodClosed():
                self.closed.add(event.period)
            case PeriodReopened():
                self.closed.discard(event.period)
            case _:
                raise self._cannot_apply(event)
