"""对账: reporting's net revenue against finance's 6001, read over finance's HTTP API (a stand-in
finance answers `GET /ledger/profit-and-loss` on a real port)."""

import contextlib
import socket
from collections.abc import AsyncIterator
from typing import Any

import pytest
from fastapi import FastAPI, Request

from eventkit.testing.service import serving

from . import dataset
from .support import ANALYST, ReportingUnderTest, auth

pytestmark = pytest.mark.integration


@contextlib.asynccontextmanager
async def finance_saying(revenue: str) -> AsyncIterator[tuple[str, list[dict[str, Any]]]]:
    """A finance whose income statement shows `revenue` on 6001; yields its URL and the
    requests it got."""
    app = FastAPI()
    seen: list[dict[str, Any]] = []

    @app.get("/ledger/profit-and-loss")
    async def profit_and_loss(request: Request) -> dict[str, Any]:
        seen.append({**request.query_params, "authorization": request.headers["authorization"]})
        income = [{"code": "6001", "name": "主营业务收入", "amount": revenue}]
        return {"income": income, "expenses": [], "total_income": revenue}

    async with serving(app) as url:
        yield url, seen


async def reconcile(reporting: ReportingUnderTest) -> Any:
    return await reporting.client.get(
        "/reconciliation/revenue", params={"from": "2026-11-01", "to": "2026-11-30"}, headers=auth()
    )


async def test_revenue_reconciles_with_finance_6001_over_the_same_days(
    reporting: ReportingUnderTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    await reporting.publish_envelopes(*dataset.november())
    await reporting.copies_kept(len(dataset.november()))
    async with finance_saying("860.00") as (url, seen):
        monkeypatch.setenv("ERP_FINANCE_URL", url)
        response = await reconcile(reporting)
    assert response.status_code == 200, response.text
    # INV1 450.00 + INV2 530.00 − credit note 120.00
    assert response.json() == {
        "from": "2026-11-01",
        "to": "2026-11-30",
        "account": "6001",
        "reporting_revenue": "860.00",
        "finance_revenue": "860.00",
        "difference": "0.00",
        "reconciled": True,
    }
    # Finance's `to` is exclusive, so the last day is asked for up to the next midnight; the
    # caller's own token is what finance sees.
    assert seen == [
        {
            "from": "2026-11-01T00:00:00+00:00",
            "to": "2026-12-01T00:00:00+00:00",
            "authorization": f"Bearer {ANALYST}",
        }
    ]

    async with finance_saying("900.00") as (url, _):
        monkeypatch.setenv("ERP_FINANCE_URL", url)
        differing = (await reconcile(reporting)).json()
    assert (differing["difference"], differing["reconciled"]) == ("-40.00", False)


async def test_an_unreachable_finance_leaves_the_revenue_not_compared(
    reporting: ReportingUnderTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    monkeypatch.setenv("ERP_FINANCE_URL", f"http://127.0.0.1:{port}")
    response = await reconcile(reporting)
    assert response.status_code == 200
    body = response.json()
    assert (body["reporting_revenue"], body["reconciled"], body["difference"]) == (
        "0.00",
        None,
        None,
    )
    assert "ConnectError" in body["finance_error"]
