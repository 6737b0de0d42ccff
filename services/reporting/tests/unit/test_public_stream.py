"""Reporting has no public events: its copies of what it consumed (already on their
producers' topics) and its own saved reports stay in its store, and /asyncapi.json lists no
message on its topic."""

from eventkit.testing.public_stream import documented_payloads, stored
from reporting.adapters.source_events import SOURCE_PREFIX
from reporting.bootstrap import blueprint


def test_reporting_publishes_neither_its_copies_nor_its_own_events() -> None:
    publishes = blueprint().publishes
    assert not publishes(stored(f"{SOURCE_PREFIX}inventory-stock-A@W", "StockAdjusted"))
    assert not publishes(stored(f"{SOURCE_PREFIX}finance-supplier-S", "PaymentMade"))
    assert not publishes(stored("custom-report-1", "CustomReportDefined"))


def test_asyncapi_lists_no_message_on_reportings_topic() -> None:
    assert documented_payloads(blueprint()) == {}
