"""Accounting periods: closed months refuse documents and push late postings forward."""

from datetime import UTC, date, datetime

import pytest

from finance.domain.errors import InvalidInput, InvalidPeriod, InvalidState
from finance.domain.periods import AccountingPeriods, ClosedPeriod

T0 = datetime(2026, 11, 24, 9, tzinfo=UTC)


def closed(*periods: str) -> AccountingPeriods:
    books = AccountingPeriods()
    for period in periods:
        books.close(period, occurred_at=T0)
    books.collect_events()
    return books


def test_a_document_dated_in_a_closed_month_is_refused() -> None:
    books = closed("2026-10")
    with pytest.raises(ClosedPeriod) as refused:
        books.require_open(date(2026, 10, 31))
    assert refused.value.code == "period_closed"
    books.require_open(date(2026, 11, 1))


def test_a_late_event_is_posted_at_the_start_of_the_next_open_month() -> None:
    books = closed("2026-11", "2026-12")
    late = datetime(2026, 11, 30, 23, 59, tzinfo=UTC)
    assert books.posting_time(late) == datetime(2027, 1, 1, tzinfo=UTC)
    on_time = datetime(2027, 1, 5, tzinfo=UTC)
    assert books.posting_time(on_time) == on_time


def test_a_month_closes_once_and_must_be_spelled_yyyy_mm() -> None:
    books = closed("2026-10")
    with pytest.raises(InvalidState):
        books.close("2026-10", occurred_at=T0)
    with pytest.raises(InvalidPeriod):
        books.close("2026-13", occurred_at=T0)


def test_the_latest_closed_month_reopens_with_a_reason_and_takes_documents_again() -> None:
    books = closed("2026-10", "2026-11")
    with pytest.raises(InvalidState) as earlier:
        books.reopen("2026-10", "late invoice", occurred_at=T0)
    assert earlier.value.details == {"latest": "2026-11"}
    with pytest.raises(InvalidState):
        books.reopen("2026-12", "never closed", occurred_at=T0)
    with pytest.raises(InvalidInput):
        books.reopen("2026-11", "  ", occurred_at=T0)
    assert books.collect_events() == []

    reopened = books.reopen("2026-11", "supplier invoice arrived late", occurred_at=T0)
    assert (reopened.period, reopened.reason) == ("2026-11", "supplier invoice arrived late")
    books.require_open(date(2026, 11, 30))
    with pytest.raises(ClosedPeriod):
        books.require_open(date(2026, 10, 31))

    books.close("2026-11", occurred_at=T0)
    with pytest.raises(ClosedPeriod):
        books.require_open(date(2026, 11, 30))
