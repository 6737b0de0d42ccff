"""Bank statements over HTTP: import, automatic and manual matching, unmatched lines listed,
duplicates, bad CSV, and one payment matched once under concurrent imports."""

import asyncio
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import pytest
from sqlalchemy import text

from eventkit.projections import rebuild_projection, verify_projection
from finance.adapters.projections import BankProjection

from .scenario import invoice_body, ordered_and_received, post_invoice
from .support import VIEWER, FinanceUnderTest, auth
from .test_receivables import customer, order, shipment

pytestmark = pytest.mark.integration
TODAY = datetime.now(UTC).date().isoformat()
HEADER = "date,amount,reference,counterparty,description,transaction_id\n"


async def import_csv(finance: FinanceUnderTest, csv: str, expect: int = 201) -> dict[str, Any]:
    response = await finance.client.post(
        "/bank/statements",
        content=csv.encode(),
        headers=auth(**{"Content-Type": "text/csv"}),
    )
    assert response.status_code == expect, response.text
    body: dict[str, Any] = response.json()
    return body


async def pay(finance: FinanceUnderTest, amount: str) -> dict[str, Any]:
    response = await finance.client.post(
        "/payables/payments", json={"supplier_id": "SUP-1", "amount": amount}, headers=auth()
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    await finance.settled()
    return body


async def a_payment_and_a_receipt(finance: FinanceUnderTest) -> tuple[dict[str, Any], Any]:
    po = await ordered_and_received(finance)
    await post_invoice(finance, invoice_body(po, "6"))
    payment = await pay(finance, "67.80")
    order_id = uuid4()
    sent = [*customer(), order(order_id), shipment(order_id, "4")]
    await finance.publish(*sent)
    await finance.settled(*sent)
    response = await finance.client.post(
        "/receivables/receipts", json={"customer_id": "CUS-1", "amount": "90.40"}, headers=auth()
    )
    assert response.status_code == 201, response.text
    await finance.settled()
    return payment, response.json()


async def test_a_statement_matches_by_reference_and_by_amount_and_lists_what_is_left(
    finance: FinanceUnderTest,
) -> None:
    payment, receipt = await a_payment_and_a_receipt(finance)
    csv = (
        HEADER
        + f"{TODAY},-67.80,{payment['payment_number']},Acme 五金,货款,TX-1\n"
        + f"{TODAY},90.40,,华南商贸,转账,TX-2\n"
        + f"{TODAY},-15.00,,,手续费 bank fee,TX-3\n"
    )
    body = await import_csv(finance, csv)
    assert body["lines"] == 3
    assert body["matched"] == [
        {"line_no": 1, "document_id": payment["payment_id"]},
        {"line_no": 2, "document_id": receipt["receipt_id"]},
    ]
    assert [(u["line_no"], u["amount"], u["reason"]) for u in body["unmatched"]] == [
        (3, "-15.00", "no_candidate")
    ]
    await finance.settled()
    lines = await finance.get(f"/bank/statements/{body['statement_id']}")
    assert [(li["line_no"], li["status"], li["rule"]) for li in lines] == [
        (1, "matched", "reference"),
        (2, "matched", "amount_date"),
        (3, "unmatched", None),
    ]
    assert lines[0]["document_number"] == payment["payment_number"]
    unmatched = await finance.get("/bank/unmatched")
    assert [(li["line_no"], li["description"]) for li in unmatched] == [(3, "手续费 bank fee")]

    # The same file again changes nothing; a next statement repeating TX-3 skips it.
    before = await finance.event_count()
    again = await import_csv(finance, csv)
    assert (again["statement_id"], again["already_imported"]) == (body["statement_id"], True)
    assert await finance.event_count() == before
    later = await import_csv(finance, HEADER + f"{TODAY},-15.00,,,手续费 bank fee,TX-3\n")
    assert (later["lines"], later["duplicates"]) == (0, [1])

    for projection in (BankProjection(),):
        report = await verify_projection(finance.runtime.engine, projection)
        assert report.equal, report.differences
    live = await bank_rows(finance)
    await rebuild_projection(finance.runtime.engine, BankProjection(), batch_size=2)
    assert await bank_rows(finance) == live


async def bank_rows(finance: FinanceUnderTest) -> dict[str, list[tuple[Any, ...]]]:
    async with finance.runtime.engine.connect() as conn:
        return {
            table: [
                tuple(row)
                for row in await conn.execute(text(f"SELECT * FROM rm_bank.{table} ORDER BY 1, 2"))
            ]
            for table in ("cash_documents", "statement_lines")
        }


async def test_an_ambiguous_line_waits_for_the_clerk_who_matches_it_by_hand(
    finance: FinanceUnderTest,
) -> None:
    po = await ordered_and_received(finance)
    await post_invoice(finance, invoice_body(po, "6"))
    first, second = await pay(finance, "10.00"), await pay(finance, "10.00")
    body = await import_csv(finance, HEADER + f"{TODAY},-10.00,,Acme,,\n{TODAY},-9.99,,,,\n")
    assert [(u["line_no"], u["reason"]) for u in body["unmatched"]] == [
        (1, "ambiguous"),
        (2, "no_candidate"),
    ]
    statement = body["statement_id"]

    async def match(line_no: int, document_id: str) -> Any:
        return await finance.client.post(
            f"/bank/statements/{statement}/lines/{line_no}/match",
            json={"document_id": document_id},
            headers=auth(),
        )

    before = await finance.event_count()
    wrong_amount = await match(2, second["payment_id"])
    assert (wrong_amount.status_code, wrong_amount.json()["error"]) == (409, "amount_mismatch")
    unknown = await match(1, str(uuid4()))
    assert unknown.status_code == 404
    no_line = await match(9, first["payment_id"])
    assert no_line.status_code == 404
    assert await finance.event_count() == before

    matched = await match(1, first["payment_id"])
    assert matched.status_code == 200, matched.text
    assert matched.json()["rule"] == "manual"
    twice = await match(1, second["payment_id"])
    assert (twice.status_code, twice.json()["error"]) == (409, "already_matched")
    bad_body = await finance.client.post(
        f"/bank/statements/{statement}/lines/1/match", json={"document": "x"}, headers=auth()
    )
    assert bad_body.status_code == 422


async def test_a_payment_recorded_after_the_import_is_matched_when_matching_runs_again(
    finance: FinanceUnderTest,
) -> None:
    po = await ordered_and_received(finance)
    await post_invoice(finance, invoice_body(po, "6"))
    body = await import_csv(finance, HEADER + f"{TODAY},-20.00,,Acme,,\n")
    assert [u["reason"] for u in body["unmatched"]] == ["no_candidate"]
    payment = await pay(finance, "20.00")
    response = await finance.client.post(
        f"/bank/statements/{body['statement_id']}/match", headers=auth()
    )
    assert response.status_code == 200, response.text
    assert response.json()["matched"] == [{"line_no": 1, "document_id": payment["payment_id"]}]
    assert response.json()["unmatched"] == []


async def test_two_concurrent_statements_naming_one_payment_match_it_once(
    finance: FinanceUnderTest,
) -> None:
    po = await ordered_and_received(finance)
    await post_invoice(finance, invoice_body(po, "6"))
    payment = await pay(finance, "67.80")
    number = payment["payment_number"]
    csvs = [HEADER + f"{TODAY},-67.80,{number},Acme,{n},TX-{n}\n" for n in range(2)]
    bodies = await asyncio.gather(*(import_csv(finance, csv) for csv in csvs))
    assert sorted(len(b["matched"]) for b in bodies) == [0, 1]
    assert await finance.event_count("BankLineMatched") == 1


@pytest.mark.parametrize(
    ("csv", "loc"),
    [
        ("", ["body", 0]),
        (HEADER, ["body"]),
        (HEADER + f"{TODAY},1.00,,,,\nyesterday,1.00,,,,\n", ["body", 2, "date"]),
        (HEADER + f"{TODAY},12.345,,,,\n", ["body", 1, "amount"]),
    ],
)
async def test_a_bad_statement_is_422_with_its_place_and_writes_nothing(
    finance: FinanceUnderTest, csv: str, loc: list[Any]
) -> None:
    before = await finance.event_count()
    body = await import_csv(finance, csv, expect=422)
    assert body["details"][0]["loc"] == loc
    assert await finance.event_count() == before
    viewer = await finance.client.post(
        "/bank/statements", content=HEADER.encode(), headers=auth(VIEWER)
    )
    assert viewer.status_code == 403
