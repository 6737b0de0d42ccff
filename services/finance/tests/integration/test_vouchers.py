"""The accountant's basics over HTTP: sub-accounts, journal vouchers balanced or refused with
422, numbered per month, reversed (never edited) so every balance is as before."""

from decimal import Decimal
from typing import Any

import pytest

from .scenario import ordered_and_received
from .support import FinanceUnderTest, auth

pytestmark = pytest.mark.integration
D = Decimal


def voucher(*lines: tuple[str, str, str], day: str = "2026-11-20") -> dict[str, Any]:
    return {
        "date": day,
        "memo": "11月办公用品",
        "lines": [{"account": a, "debit": dr, "credit": cr} for a, dr, cr in lines],
    }


OFFICE = voucher(("6602.01", "300.00", "0"), ("1002", "0", "300.00"))


async def nonzero_balances(finance: FinanceUnderTest) -> dict[str, D]:
    await finance.settled()
    return {code: amount for code, amount in (await finance.balances()).items() if amount}


async def test_a_voucher_posted_and_reversed_leaves_every_balance_as_before(
    finance: FinanceUnderTest,
) -> None:
    await ordered_and_received(finance)  # some balances already on the books
    added = await finance.client.post(
        "/accounts", json={"code": "6602.01", "name": "办公费"}, headers=auth()
    )
    assert added.status_code == 201, added.text
    twice = await finance.client.post(
        "/accounts", json={"code": "6602.01", "name": "办公费"}, headers=auth()
    )
    assert (twice.status_code, twice.json()["error"]) == (409, "account_exists")
    before = await nonzero_balances(finance)
    events = await finance.event_count()

    # Refused with 422 at the field, writing nothing (and using no number).
    unbalanced = voucher(("6602.01", "300.00", "0"), ("1002", "0", "299.99"))
    refused = await finance.client.post("/vouchers", json=unbalanced, headers=auth())
    assert refused.status_code == 422, refused.text
    assert refused.json()["details"][0]["loc"] == ["body", "lines"]
    unknown = voucher(("6602.01", "300.00", "0"), ("1009", "0", "300.00"))
    refused = await finance.client.post("/vouchers", json=unknown, headers=auth())
    assert refused.status_code == 422, refused.text
    assert refused.json()["details"][0]["loc"] == ["body", "lines", 1, "account"]
    controlled = voucher(("1405", "300.00", "0"), ("1002", "0", "300.00"))
    refused = await finance.client.post("/vouchers", json=controlled, headers=auth())
    assert refused.status_code == 422, refused.text
    assert await finance.event_count() == events

    posted = await finance.client.post("/vouchers", json=OFFICE, headers=auth())
    assert posted.status_code == 201, posted.text
    first = posted.json()
    assert first["voucher_number"] == "记-2026-11-0001"
    await finance.settled()
    expected = {**before, "6602": D("300.00"), "1002": before.get("1002", D(0)) - D("300.00")}
    assert await nonzero_balances(finance) == expected
    tb = await finance.trial_balance()
    (office,) = [row for row in tb["accounts"] if row["code"] == "6602"]
    assert office["name"] == "管理费用"
    assert [(s["code"], s["name"], s["debit"]) for s in office["sub_accounts"]] == [
        ("6602.01", "办公费", "300.00")
    ]
    pnl = await finance.get("/ledger/profit-and-loss", period="2026-11")
    assert [(e["code"], e["amount"]) for e in pnl["expenses"]] == [("6602", "300.00")]
    in_use = await finance.client.post("/accounts/6602.01/disable", headers=auth())
    assert (in_use.status_code, in_use.json()["error"]) == (409, "account_in_use")

    path = f"/vouchers/{first['voucher_id']}/reverse"
    reason = {"reason": "重复录入 entered twice", "date": "2026-11-25"}
    reversed_ = await finance.client.post(path, json=reason, headers=auth())
    assert reversed_.status_code == 201, reversed_.text
    reversal = reversed_.json()
    assert reversal["voucher_number"] == "记-2026-11-0002"
    assert reversal["reverses"] == first["voucher_id"]
    again = await finance.client.post(path, json=reason, headers=auth())
    assert (again.status_code, again.json()["error"]) == (409, "already_reversed")
    assert await nonzero_balances(finance) == before

    (listed,) = await finance.get("/vouchers", period="2026-11", q="办公用品")
    assert listed["reversed_by"] == reversal["voucher_id"]
    assert listed["posted_by"] == "qian.hui"
    detail = await finance.get(f"/vouchers/{reversal['voucher_id']}")
    assert [(li["account"], li["debit"], li["credit"]) for li in detail["lines"]] == [
        ("6602.01", "0.00", "300.00"),
        ("1002", "300.00", "0.00"),
    ]
    assert len(await finance.get("/vouchers", account="6602")) == 2

    # Back to a zero balance, the sub-account may be disabled; then it takes no voucher.
    disabled = await finance.client.post("/accounts/6602.01/disable", headers=auth())
    assert disabled.status_code == 200, disabled.text
    (row,) = await finance.get("/accounts", parent="6602", balance="true")
    assert (row["code"], row["enabled"], row["balance"]) == ("6602.01", False, "0.00")
    refused = await finance.client.post("/vouchers", json=OFFICE, headers=auth())
    assert refused.status_code == 422, refused.text


async def test_a_voucher_dated_in_a_closed_month_is_409_and_numbers_stay_gapless(
    finance: FinanceUnderTest,
) -> None:
    closed = await finance.client.post("/periods/2026-10/close", headers=auth())
    assert closed.status_code == 200, closed.text
    salary = voucher(("6602", "8000", "0"), ("2211", "0", "8000"), day="2026-10-31")
    refused = await finance.client.post("/vouchers", json=salary, headers=auth())
    assert (refused.status_code, refused.json()["error"]) == (409, "period_closed")

    numbers = []
    for day in ("2026-12-01", "2026-12-31"):
        posted = await finance.client.post(
            "/vouchers", json={**salary, "date": day}, headers=auth()
        )
        assert posted.status_code == 201, posted.text
        numbers.append(posted.json()["voucher_number"])
    assert numbers == ["记-2026-12-0001", "记-2026-12-0002"]

    # An account code that cannot be stored (a NUL) is a 422 at its field, never a 500.
    for response, loc in (
        (await finance.client.post("/accounts/x%00y/disable", headers=auth()), "path"),
        (await finance.client.get("/vouchers?account=x%00y", headers=auth()), "query"),
        (await finance.client.get("/accounts?parent=x%00y", headers=auth()), "query"),
    ):
        assert response.status_code == 422, response.text
        assert response.json()["details"][0]["loc"][0] == loc
