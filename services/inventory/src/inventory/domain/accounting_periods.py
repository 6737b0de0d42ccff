"""Closed accounting periods as inventory knows them (stream ``accounting-periods``), learnt
from finance's `PeriodClosed` and `PeriodReopened` (反结账: the month takes documents again
until finance closes it anew).

结账 business rule: once finance closed a month, no stock movement may be dated in it — the
books of that month are final. A clerk's document (receipt, shipment, adjustment, transfer,
stocktake, return) whose business time falls in a closed month is refused (`period_closed`).
What inventory does in reaction to other services' events (reservations, returns purchasing
asked for) happens now and is never refused: a fact already decided elsewhere.
Months are UTC calendar months, as finance closes them.
"""

from datetime import UTC, datetime

from inventory.domain.aggregate import Aggregate
from inventory.domain.errors import InventoryError
from inventory.domain.events import ClosedPeriodLearned, DomainEvent, ReopenedPeriodLearned

PERIODS_STREAM = "accounting-periods"


class PeriodClosed(InventoryError):
    code = "period_closed"


def period_of(moment: datetime) -> str:
    return f"{moment.astimezone(UTC):%Y-%m}"


class AccountingPeriods(Aggregate):
    def __init__(self) -> None:
        super().__init__()
        self.closed: set[str] = set()

    def learn_closed(self, period: str, *, occurred_at: datetime) -> None:
        """Finance closed `period` (yyyy-mm); learning it twice changes nothing."""
        if period not in self.closed:
            self._record(ClosedPeriodLearned(occurred_at=occurred_at, period=period))

    def learn_reopened(self, period: str, reason: str, *, occurred_at: datetime) -> None:
        """Finance reopened `period`; learning it twice (or of an open month) changes nothing."""
        if period in self.closed:
            learnt = ReopenedPeriodLearned(occurred_at=occurred_at, period=period, reason=reason)
            self._record(learnt)

    def require_open(self, moment: datetime) -> None:
        period = period_of(moment)
        if period in self.closed:
            raise PeriodClosed(
                f"period {period} is closed: nothing may be dated in it", period=period
            )

    def _apply(self, event: DomainEvent) -> None:
        match event:
            case ClosedPeriodLearned():
                self.closed.add(event.period)
            case ReopenedPeriodLearned():
                self.closed.discard(event.period)
            case _:
                raise self._cannot_apply(event)
