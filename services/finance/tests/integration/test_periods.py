"""Closing a month (结账): documents dated in it are refused and write nothing; inventory events
dated in it are posted in the next open month, so the closed balances do not change."""

from datetime import UTC, datetime
from decimal import Decimal
from uuid import uuid4

import pytest

from ..unit.inventory_events import received
from .scenario import invoice_body, ordered_and_received
from .support import FINANCE_ADMIN, FinanceUnderTest, auth, envelopes

pytestmark = pytest.mark.integration


async def test_a_supplier_invoice_dated_in_a_closed_month_is_409_and_writes_nothing(
    finance: FinanceUnderTest,
) -> None:
    po = await ordered_and_received(finance)
    closed = await finance.client.post("/periods/2026-10/close", headers=auth())
    assert closed.status_code == 200, closed.text
    assert await finance.event_count("PeriodClosed") == 1

    before = await finance.event_count()
    body = {**invoice_body(po, "1"), "invoice_date": "2026-10-31"}
    refused = await finance.client.post("/payables/invoices", json=body, headers=auth())
    assert refused.status_code == 409
    assert refused.json()["error"] == "period_closed"
    again = await finance.client.post("/periods/2026-10/close", headers=auth())
    assert again.status_code == 409
    assert again.json()["error"] == "invalid_state"
    malformed = await finance.client.post("/periods/2026-13/close", headers=auth())
    assert malformed.status_code == 422
    assert await finance.event_count() == before


async def test_a_receipt_dated_in_a_closed_month_is_posted_in_the_next_open_one(
    finance: FinanceUnderTest,
) -> None:
    closed = await finance.client.post("/periods/2026-10/close", headers=auth())
    assert closed.status_code == 200, closed.text
    (late,) = envelopes("inventory", ("receipt-late", received(uuid4(), "A", "2", "5.00")))
    late = late.model_copy(update={"occurred_at": datetime(2026, 10, 20, tzinfo=UTC)})
    await finance.publish(late)
    await finance.settled(late)

    end_of_october = "2026-10-31T23:59:59+00:00"
    assert (await finance.trial_balance(as_of=end_of_october))["accounts"] == []
    (entry,) = await finance.get("/ledger/journal", account="1405")
    assert entry["occurred_at"].startswith("2026-11-01T00:00:00")
    assert (await finance.balances())["1405"] == Decimal("10.00")


async def test_a_reopened_month_takes_a_backdated_invoice_and_refuses_it_once_closed_again(
    finance: FinanceUnderTest,
) -> None:
    po = await ordered_and_received(finance)
    assert (await finance.client.post("/periods/2026-10/close", headers=auth())).status_code == 200
    reason = {"reason": "供应商发票迟到 late supplier invoice"}

    # A finance clerk may close but not reopen; a reason is required; nothing is written.
    before = await finance.event_count()
    clerk = await finance.client.post("/periods/2026-10/reopen", json=reason, headers=auth())
    assert clerk.status_code == 403
    blank = await finance.client.post(
        "/periods/2026-10/reopen", json={"reason": " "}, headers=auth(FINANCE_ADMIN)
    )
    assert blank.status_code == 422
    assert blank.json()["details"][0]["loc"] == ["body", "reason"]
    assert await finance.event_count() == before

    reopened = await finance.client.post(
        "/periods/2026-10/reopen", json=reason, headers=auth(FINANCE_ADMIN)
    )
    assert reopened.status_code == 200, reopened.text
    assert reopened.json()["status"] == "open"
    assert await finance.actors("PeriodReopened") == ["wang.fang"]
    again = await finance.client.post(
        "/periods/2026-10/reopen", json=reason, headers=auth(FINANCE_ADMIN)
    )
    assert (again.status_code, again.json()["error"]) == (409, "invalid_state")

    body = {**invoice_body(po, "1"), "invoice_date": "2026-10-31"}
    accepted = await finance.client.post("/payables/invoices", json=body, headers=auth())
    assert accepted.status_code == 201, accepted.text

    assert (await finance.client.post("/periods/2026-10/close", headers=auth())).status_code == 200
    late = {**invoice_body(po, "1", number="INV-002"), "invoice_date": "2026-10-31"}
    refused = await finance.client.post("/payables/invoices", json=late, headers=auth())
    assert (refused.status_code, refused.json()["error"]) == (409, "period_closed")
