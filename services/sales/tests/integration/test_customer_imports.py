"""数据迁移: customers with credit limits and price lists from one file, one row per price."""

from decimal import Decimal
from typing import Any

import pytest

from .support import SalesUnderTest, auth

pytestmark = pytest.mark.integration
HEADER = "customer_id,name,credit_limit,payment_terms_days,discount_rate,sku,unit_price\n"
ROWS = "CUS-1,华南商贸,200000,30,0.05,TEA-1,88\nCUS-1,华南商贸,200000,30,0.05,TEA-2,40\n"


async def upload(sales: SalesUnderTest, text: str) -> Any:
    files = {"file": ("customers.csv", text.encode(), "text/csv")}
    return await sales.client.post("/imports/customers", files=files, headers=auth())


async def test_customers_import_with_credit_limits_and_again_write_nothing(
    sales: SalesUnderTest,
) -> None:
    first = await upload(sales, HEADER + ROWS + "CUS-2,北方茶行,5000,15,,,\n")
    assert first.status_code == 201, first.text
    exposure = await sales.get("/customers/CUS-1/exposure")
    assert Decimal(exposure["credit_limit"]) == Decimal("200000")
    events = await sales.event_count()
    assert events == 2  # one CustomerRegistered each, the price list inside it

    again = await upload(sales, HEADER + ROWS)
    assert (again.status_code, again.json()["unchanged"]) == (200, 2)
    other = await upload(sales, HEADER + ROWS.replace(",40\n", ",41\n"))
    assert other.status_code == 422
    assert [(c["row"], c["column"]) for c in other.json()["cells"]] == [(3, "unit_price")]
    mixed = await upload(sales, HEADER + "CUS-3,x,1,1,,TEA-1,\nCUS-3,y,1,1,,,\n")
    assert [(c["row"], c["column"]) for c in mixed.json()["cells"]] == [
        (3, "name"),
        (2, "unit_price"),
    ]
    assert await sales.event_count() == events
