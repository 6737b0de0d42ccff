"""Finance's topic carries its contracts and nothing else, and /asyncapi.json documents
each of them with the contract's payload schema."""

from uuid import UUID

import pytest

from erp_contracts.schema_export import event_schema, schema_key
from eventkit.testing.public_stream import contract_keys, documented_payloads, stored
from finance.adapters.codec import CODEC, PUBLIC_EVENTS
from finance.bootstrap import blueprint
from finance.domain.bank import bank_account_stream_id
from finance.domain.customer import customer_stream_id
from finance.domain.customer_invoice import customer_invoice_stream_id
from finance.domain.journal import posting_stream_id
from finance.domain.notes import note_stream_id
from finance.domain.periods import PERIODS_STREAM
from finance.domain.purchase_order import purchase_order_stream_id
from finance.domain.sales_order import sales_order_stream_id
from finance.domain.supplier import supplier_stream_id
from finance.domain.supplier_invoice import supplier_invoice_stream_id

PUBLISHES = blueprint().publishes
#: A stream of every aggregate finance records events on.
STREAMS = [
    bank_account_stream_id("B-1"),
    customer_stream_id("C-1"),
    customer_invoice_stream_id(UUID(int=1)),
    posting_stream_id("inventory:stock-1#1"),
    note_stream_id(UUID(int=1)),
    PERIODS_STREAM,
    purchase_order_stream_id(UUID(int=1)),
    sales_order_stream_id(UUID(int=1)),
    supplier_stream_id("S-1"),
    supplier_invoice_stream_id(UUID(int=1)),
]


def test_asyncapi_documents_every_finance_contract_with_its_payload_schema() -> None:
    documented = documented_payloads(blueprint())
    assert set(documented) == contract_keys(blueprint())
    assert {"SupplierInvoiceRecorded.v1", "InvoiceSettled.v1", "PeriodClosed.v1"} <= set(documented)
    for model in PUBLISHES.contracts():
        schema = documented[schema_key(model.event_type, model.schema_version)]
        snapshot = event_schema(model)
        assert schema["x-event-type"] == model.event_type
        assert (schema["properties"].keys(), schema.get("required")) == (
            snapshot["properties"].keys(),
            snapshot.get("required"),
        )


@pytest.mark.parametrize(
    ("stream_id", "event_type"),
    [
        (supplier_invoice_stream_id(UUID(int=1)), "SupplierInvoiceRecorded"),
        (supplier_invoice_stream_id(UUID(int=1)), "InvoiceSettled"),
        (customer_invoice_stream_id(UUID(int=1)), "InvoiceSettled"),
        (customer_invoice_stream_id(UUID(int=1)), "CustomerInvoiceIssued"),
        (supplier_stream_id("S-1"), "PaymentMade"),
        (customer_stream_id("C-1"), "PaymentReceived"),
        (note_stream_id(UUID(int=1)), "CreditNoteIssued"),
        (note_stream_id(UUID(int=1)), "DebitNoteIssued"),
        (PERIODS_STREAM, "PeriodClosed"),
    ],
)
def test_a_public_event_on_the_stream_that_records_it_is_published(
    stream_id: str, event_type: str
) -> None:
    assert PUBLISHES(stored(stream_id, event_type))


@pytest.mark.parametrize("event_type", sorted(CODEC.event_types.keys() - PUBLIC_EVENTS.keys()))
def test_an_internal_event_is_never_published_whatever_its_stream(event_type: str) -> None:
    assert not any(PUBLISHES(stored(stream, event_type)) for stream in STREAMS)


def test_a_public_name_on_an_aggregate_that_does_not_publish_it_stays_in_the_store() -> None:
    # `customer-invoice-…` is not a `customer` stream: the longest category wins.
    assert not PUBLISHES(stored(customer_invoice_stream_id(UUID(int=1)), "PaymentReceived"))
    assert not PUBLISHES(stored(posting_stream_id("x"), "InvoiceSettled"))
