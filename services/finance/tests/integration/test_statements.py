"""GET /ledger/profit-and-loss and GET /ledger/balance-sheet over the live ledger."""

from datetime import UTC, datetime
from uuid import uuid4

import pytest

from .support import VIEWER, FinanceUnderTest, auth
from .test_notes import customer_return
from .test_receivables import customer, order, shipment

T0 = datetime(2026, 11, 24, 9, tzinfo=UTC)

pytestmark = pytest.mark.integration


async def test_a_sale_and_a_return_show_in_the_profit_and_loss_and_the_balance_sheet_balances(
    finance: FinanceUnderTest,
) -> None:
    order_id = uuid4()
    # 4 sold at 20.00 (cost 12.00 each), 1 returned: revenue 60.00, cost 36.00.
    sent = [*customer(), order(order_id), shipment(order_id, "4")]
    sent.append(customer_return(order_id, "1", "12.00"))
    # Business time T0, whatever day the test runs (the ledger posts at the business time).
    sent = [e.model_copy(update={"occurred_at": T0, "recorded_at": T0}) for e in sent]
    await finance.publish(*sent)
    await finance.settled(*sent)

    # The events are dated T0 (2026-11-24): the P&L of November has them, October's is empty.
    november = await finance.get("/ledger/profit-and-loss", period="2026-11")
    assert november["income"] == [{"code": "6001", "name": "主营业务收入", "amount": "60.00"}]
    assert november["expenses"] == [{"code": "6401", "name": "主营业务成本", "amount": "36.00"}]
    assert november["net_profit"] == "24.00"
    assert (november["from"], november["to"]) == (
        "2026-11-01T00:00:00+00:00",
        "2026-12-01T00:00:00+00:00",
    )
    october = await finance.get("/ledger/profit-and-loss", period="2026-10")
    assert (october["income"], october["net_profit"]) == ([], "0.00")

    sheet = await finance.get("/ledger/balance-sheet")
    assert sheet["balanced"] is True
    assert {line["code"]: line["amount"] for line in sheet["assets"]} == {
        "1122": "67.80",
        "1405": "-36.00",
    }
    assert sheet["equity"] == [{"code": "4103", "name": "本年利润", "amount": "24.00"}]
    assert sheet["total_assets"] == "31.80"
    # As of before anything happened: empty, and still balanced.
    before = await finance.get("/ledger/balance-sheet", as_of="2026-11-01T00:00:00+00:00")
    assert (before["assets"], before["total_assets"], before["balanced"]) == ([], "0.00", True)


@pytest.mark.parametrize(
    ("params", "loc"),
    [
        ({"period": "2026-13"}, ["query", "period"]),
        ({"period": "2026-11", "from": "2026-11-01T00:00:00Z"}, ["query", "period"]),
        ({"from": "yesterday"}, ["query", "from"]),
    ],
)
async def test_bad_report_parameters_are_422_with_their_path(
    finance: FinanceUnderTest, params: dict[str, str], loc: list[str]
) -> None:
    response = await finance.client.get(
        "/ledger/profit-and-loss", params=params, headers=auth(VIEWER)
    )
    assert response.status_code == 422, response.text
    assert response.json()["details"][0]["loc"] == loc
    ok = await finance.client.get("/ledger/balance-sheet", headers=auth(VIEWER))
    assert ok.status_code == 200
