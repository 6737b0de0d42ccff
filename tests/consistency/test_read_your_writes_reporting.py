"""Reporting reads what it has just written, while other clients keep writing.

Reporting's one create is a saved custom report. Main loop: 1,000 × (POST /custom-reports →
GET /custom-reports/{id}: the definition as saved), while 4 clients save reports of their own.
"""

import uuid
from typing import Any

import httpx
import pytest

from eventkit.testing.infrastructure import Infrastructure
from reporting.bootstrap import blueprint

from .support import HEADERS, MAIN_PAIRS, Load, Pairs, in_process, summary

pytestmark = pytest.mark.integration

GROUPINGS = (["month", "sku"], ["customer_id"], ["day", "warehouse_id"], ["sku"])


def definition(n: int, custom_report_id: uuid.UUID | None = None) -> dict[str, Any]:
    return {
        **({"custom_report_id": str(custom_report_id)} if custom_report_id else {}),
        "name": f"Report {n}",
        "report": "sales",
        "group_by": GROUPINGS[n % len(GROUPINGS)],
        "measures": ["net", "qty"],
        "filters": {"sku": f"SKU-{n % 10}", "from": "2026-01-01"},
    }


def same_definition(sent: dict[str, Any]) -> Any:
    def check(saved: dict[str, Any]) -> str | None:
        wanted = (sent["custom_report_id"], sent["name"], sent["group_by"], sent["filters"]["sku"])
        found = (saved["custom_report_id"], saved["name"], saved["group_by"], saved["filters"])
        if found[:3] != wanted[:3] or found[3].get("sku") != wanted[3]:
            return f"saved {found}, sent {wanted}"
        return None

    return check


async def test_reporting_reads_its_own_writes_under_load(
    infra: Infrastructure, database_url: str
) -> None:
    async with in_process(blueprint(), database_url, infra) as reporting:
        client = reporting.client

        async def write(k: int, n: int) -> httpx.Response:
            return await client.post(
                "/custom-reports", json=definition(10_000 * (k + 1) + n), headers=HEADERS
            )

        saved = Pairs("reporting", "POST /custom-reports → GET …/{id}")
        async with Load(write) as load:
            for n in range(MAIN_PAIRS):
                sent = definition(n, uuid.uuid4())
                created = await saved.create(client, "/custom-reports", sent)
                await saved.read(
                    client, f"/custom-reports/{created['custom_report_id']}", same_definition(sent)
                )
            saved.report()
        summary("reporting", load, [saved])
