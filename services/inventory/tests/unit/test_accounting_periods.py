"""Closed periods as inventory learns them: by UTC month, learnt once."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from inventory.domain.accounting_periods import AccountingPeriods, PeriodClosed

SHANGHAI = timezone(timedelta(hours=8))
NOW = datetime(2026, 11, 24, tzinfo=UTC)


def test_a_closed_month_refuses_its_moments_in_utc_and_nothing_else() -> None:
    books = AccountingPeriods()
    books.learn_closed("2026-09", occurred_at=NOW)
    with pytest.raises(PeriodClosed) as refused:
        books.require_open(datetime(2026, 9, 30, 23, 59, tzinfo=UTC))
    assert (refused.value.code, refused.value.details) == ("period_closed", {"period": "2026-09"})
    with pytest.raises(PeriodClosed):
        books.require_open(datetime(2026, 10, 1, 7, 59, tzinfo=SHANGHAI))  # 09-30 23:59 UTC
    books.require_open(datetime(2026, 10, 1, 8, 0, tzinfo=SHANGHAI))
    books.require_open(datetime(2026, 8, 31, 23, 59, tzinfo=UTC))


def test_learning_a_closed_period_twice_records_it_once() -> None:
    books = AccountingPeriods()
    books.learn_closed("2026-09", occurred_at=NOW)
    books.learn_closed("2026-09", occurred_at=NOW)
    assert [e.event_type for e in books.collect_events()] == ["ClosedPeriodLearned"]


def test_a_reopened_month_takes_documents_again_until_it_is_closed_anew() -> None:
    books = AccountingPeriods()
    books.learn_reopened("2026-09", "never closed", occurred_at=NOW)  # nothing to reopen
    books.learn_closed("2026-09", occurred_at=NOW)
    books.learn_reopened("2026-09", "late invoice", occurred_at=NOW)
    books.learn_reopened("2026-09", "late invoice", occurred_at=NOW)  # learnt once
    books.require_open(datetime(2026, 9, 15, tzinfo=UTC))
    books.learn_closed("2026-09", occurred_at=NOW)
    with pytest.raises(PeriodClosed):
        books.require_open(datetime(2026, 9, 15, tzinfo=UTC))
    assert [e.event_type for e in books.collect_events()] == [
        "ClosedPeriodLearned",
        "ReopenedPeriodLearned",
        "ClosedPeriodLearned",
    ]
