"""Analyst access: the catalogue, CSV and XLSX exports that parse to the same rows as JSON,
paging and sorting, and every bad request answered 404/422/401/403 in the §8 shapes."""

import csv
import io
from typing import Any

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]

from . import dataset
from .support import NO_ROLE, ReportingUnderTest, auth

pytestmark = pytest.mark.integration


async def get(reporting: ReportingUnderTest, path: str, **params: str) -> Any:
    return await reporting.client.get(path, params=params, headers=auth())


async def test_the_catalogue_lists_every_report_with_its_dimensions_measures_and_filters(
    reporting: ReportingUnderTest,
) -> None:
    response = await get(reporting, "/reports")
    assert response.status_code == 200
    reports = {r["name"]: r for r in response.json()["reports"]}
    assert set(reports) == {
        "sales",
        "gross_margin",
        "purchases",
        "stock_daily",
        "stock_position",
        "supplier_scorecard",
        "slow_movers",
        "customers",
        "abc",
        "demand_forecast",
        "xyz",
        "forecast",
        "transfer_suggestions",
        "ar_aging",
        "ap_aging",
        "cash",
        "cash_forecast",
    }
    assert reports["sales"]["dimensions"] == ["day", "month", "sku", "customer_id", "warehouse_id"]
    assert "margin" in reports["sales"]["measures"]
    assert reports["slow_movers"]["filters"] == ["to", "sku", "warehouse", "days"]


async def test_csv_and_xlsx_exports_hold_the_same_rows_as_json(
    reporting: ReportingUnderTest,
) -> None:
    await reporting.publish_envelopes(*dataset.november())
    await reporting.copies_kept(len(dataset.november()))
    json_rows = await reporting.report("sales", limit="100")

    response = await get(reporting, "/reports/sales", format="csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    header, *lines = list(csv.reader(io.StringIO(response.text)))
    assert header[:5] == ["day", "sku", "customer_id", "warehouse_id", "qty_shipped"]
    assert [dict(zip(header, line, strict=True)) for line in lines] == [
        {k: "" if v is None else v for k, v in row.items()} for row in json_rows
    ]

    response = await get(reporting, "/reports/sales", format="xlsx", sort="-net", limit="2")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    header, *values = list(sheet.iter_rows(values_only=True))
    net = header.index("net")
    # Dates are Excel dates and money is numeric, so an analyst's formulas work on them.
    assert [(v[0].date().isoformat(), v[1], v[2], v[net]) for v in values] == [
        ("2026-11-05", "A", "C2", 480.0),
        ("2026-11-03", "A", "C1", 250.0),
    ]


async def test_paging_and_sorting_pick_the_requested_slice(reporting: ReportingUnderTest) -> None:
    await reporting.publish_envelopes(*dataset.november())
    await reporting.copies_kept(len(dataset.november()))
    rows = await reporting.report(
        "gross_margin", group_by="sku", sort="-margin", offset="1", limit="1"
    )
    assert [(r["sku"], r["margin"]) for r in rows] == [("B", "100.00")]


@pytest.mark.parametrize(
    ("path", "params", "loc"),
    [
        ("/reports/sales", {"group_by": "colour"}, ["query", "group_by"]),
        ("/reports/sales", {"sort": "price; DROP TABLE x"}, ["query", "sort"]),
        ("/reports/sales", {"from": "2026-13-01"}, ["query", "from"]),
        ("/reports/sales", {"from": "2026-11-30", "to": "2026-11-01"}, ["query", "to"]),
        ("/reports/sales", {"supplier": "S1"}, ["query", "supplier"]),
        ("/reports/sales", {"format": "pdf"}, ["query", "format"]),
        ("/reports/sales", {"limit": "0"}, ["query", "limit"]),
        ("/reports/stock_daily", {"group_by": "sku"}, ["query", "group_by"]),
        ("/reports/abc", {"group_by": "sku,customer_id"}, ["query", "group_by"]),
        ("/reports/slow_movers", {"days": "-1"}, ["query", "days"]),
    ],
)
async def test_bad_filters_are_refused_with_422_at_the_parameter(
    reporting: ReportingUnderTest, path: str, params: dict[str, str], loc: list[str]
) -> None:
    response = await get(reporting, path, **params)
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["error"] == "validation_error"
    assert [d["loc"] for d in body["details"]] == [loc]


async def test_unknown_reports_are_404_and_reading_needs_a_token_with_a_role(
    reporting: ReportingUnderTest,
) -> None:
    response = await get(reporting, "/reports/profit_and_loss")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"
    assert (await reporting.client.get("/reports")).status_code == 401
    no_role = await reporting.client.get("/reports/sales", headers=auth(NO_ROLE))
    assert no_role.status_code == 403
