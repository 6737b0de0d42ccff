"""Saved custom reports: validated against the catalogue's whitelist, stored as events of
reporting's store, and run like the report they choose from."""

import csv
import io
import uuid

import pytest

from . import dataset
from .support import VIEWER, ReportingUnderTest, auth

pytestmark = pytest.mark.integration

C2_MARGIN = {
    "name": "C2 毛利 by sku",
    "report": "gross_margin",
    "group_by": ["sku"],
    "measures": ["net", "margin"],
    "filters": {"customer": "C2", "from": "2026-11-01", "to": "2026-11-30"},
    "sort": ["-margin"],
}


async def test_a_saved_report_is_stored_as_an_event_and_runs_with_its_choices(
    reporting: ReportingUnderTest,
) -> None:
    await reporting.publish_envelopes(*dataset.november())
    await reporting.copies_kept(len(dataset.november()))
    saved = await reporting.client.post("/custom-reports", json=C2_MARGIN, headers=auth())
    assert saved.status_code == 201, saved.text
    report_id = saved.json()["custom_report_id"]
    assert await reporting.event_count("CustomReportDefined") == 1

    got = await reporting.client.get(f"/custom-reports/{report_id}", headers=auth(VIEWER))
    assert got.status_code == 200
    assert (got.json()["report"], got.json()["defined_by"]) == ("gross_margin", "wang.fang")

    rows = await reporting.client.get(f"/custom-reports/{report_id}/rows", headers=auth())
    assert rows.json()["columns"] == ["sku", "net", "margin"]
    # C2 bought A (480.00 − 120.00 returned, cost 150.00) and C (50.00, cost 20.00).
    assert rows.json()["rows"] == [
        {"sku": "A", "net": "360.00", "margin": "210.00"},
        {"sku": "C", "net": "50.00", "margin": "30.00"},
    ]
    exported = await reporting.client.get(
        f"/custom-reports/{report_id}/rows", params={"format": "csv"}, headers=auth()
    )
    assert list(csv.reader(io.StringIO(exported.text))) == [
        ["sku", "net", "margin"],
        ["A", "360.00", "210.00"],
        ["C", "50.00", "30.00"],
    ]
    listed = await reporting.client.get("/custom-reports", headers=auth(VIEWER))
    assert [r["name"] for r in listed.json()["custom_reports"]] == ["C2 毛利 by sku"]


@pytest.mark.parametrize(
    ("change", "loc"),
    [
        ({"report": "payroll"}, ["body", "report"]),
        ({"group_by": ["colour"]}, ["body", "group_by"]),
        ({"measures": ["net", "unit_price"]}, ["body", "measures", 1]),
        ({"filters": {"supplier": "S1"}}, ["body", "filters", "supplier"]),
        ({"sort": ["vat"]}, ["body", "sort"]),
        ({"filters": {"from": "2026-12-01", "to": "2026-11-01"}}, ["body", "filters", "to"]),
        ({"sql": "SELECT 1"}, ["body", "sql"]),
    ],
)
async def test_a_definition_outside_the_whitelist_is_refused_at_its_field(
    reporting: ReportingUnderTest, change: dict[str, object], loc: list[object]
) -> None:
    response = await reporting.client.post(
        "/custom-reports", json={**C2_MARGIN, **change}, headers=auth()
    )
    assert response.status_code == 422, response.text
    assert [d["loc"] for d in response.json()["details"]] == [loc]
    assert await reporting.event_count("CustomReportDefined") == 0


async def test_saving_needs_the_analyst_role_and_an_id_is_saved_once(
    reporting: ReportingUnderTest,
) -> None:
    viewer = await reporting.client.post("/custom-reports", json=C2_MARGIN, headers=auth(VIEWER))
    assert viewer.status_code == 403
    body = {**C2_MARGIN, "custom_report_id": str(uuid.uuid4())}
    assert (
        await reporting.client.post("/custom-reports", json=body, headers=auth())
    ).status_code == 201
    again = await reporting.client.post("/custom-reports", json=body, headers=auth())
    assert again.status_code == 409
    assert again.json()["error"] == "custom_report_exists"
    missing = await reporting.client.get(f"/custom-reports/{uuid.uuid4()}", headers=auth())
    assert missing.status_code == 404
