"""Customer returns against the RMA sales authorised: covered, exceeded, partial then the
rest, another order's RMA, and an RMA inventory never learned of."""

from datetime import UTC, datetime
from decimal import Decimal
from uuid import UUID, uuid4

import pytest

from inventory.domain.document_events import QuantityLine
from inventory.domain.errors import AlreadyExists, RmaExceeded, RmaNotFound
from inventory.domain.return_authorisation import (
    AuthorisedReturnReceived,
    ReturnAuthorisation,
    ReturnAuthorised,
)

T = datetime(2026, 11, 30, 9, tzinfo=UTC)


def lines(**qty: str) -> list[QuantityLine]:
    return [QuantityLine(sku=sku, qty=Decimal(q)) for sku, q in qty.items()]


def authorised(order_id: UUID, **qty: str) -> ReturnAuthorisation:
    """Given sales' SalesReturnRequested as inventory recorded it."""
    event = ReturnAuthorised(
        occurred_at=T,
        rma_id=uuid4(),
        rma_number="SR-20261130-0001",
        order_id=order_id,
        warehouse_id="WH-SH",
        lines=tuple(lines(**qty)),
    )
    return ReturnAuthorisation.from_events([event])


def test_a_return_within_the_rma_is_covered_and_recorded_against_it() -> None:
    order_id, return_id = uuid4(), uuid4()
    rma = authorised(order_id, A="3", B="1")
    received = rma.receive(return_id, order_id, lines(A="2", B="1"), occurred_at=T)
    assert isinstance(received, AuthorisedReturnReceived)
    assert (received.rma_id, received.return_id) == (rma.rma_id, return_id)
    assert [(li.sku, li.qty) for li in received.lines] == [("A", Decimal(2)), ("B", Decimal(1))]
    assert (rma.receivable("A"), rma.receivable("B")) == (Decimal(1), Decimal(0))


def test_a_return_of_more_than_the_rma_authorised_is_refused_and_records_nothing() -> None:
    order_id = uuid4()
    rma = authorised(order_id, A="3")
    with pytest.raises(RmaExceeded) as refused:
        rma.receive(uuid4(), order_id, lines(A="4"), occurred_at=T)
    assert refused.value.code == "rma_exceeded"
    assert refused.value.details == {
        "sku": "A",
        "requested": "4",
        "authorised": "3",
        "receivable": "3",
    }
    assert not rma.pending_events
    assert rma.receivable("A") == Decimal(3)


def test_two_lines_of_one_sku_are_checked_together_against_the_rma() -> None:
    order_id = uuid4()
    rma = authorised(order_id, A="3")
    with pytest.raises(RmaExceeded):
        rma.receive(uuid4(), order_id, lines(A="2") + lines(A="2"), occurred_at=T)


def test_a_sku_the_rma_does_not_name_is_refused_as_exceeding_it() -> None:
    order_id = uuid4()
    rma = authorised(order_id, A="3")
    with pytest.raises(RmaExceeded) as refused:
        rma.receive(uuid4(), order_id, lines(A="1", Z="1"), occurred_at=T)
    assert refused.value.details["sku"] == "Z"
    assert refused.value.details["authorised"] == "0"
    assert not rma.pending_events


def test_a_partial_return_then_the_rest_are_both_covered_and_nothing_more() -> None:
    order_id = uuid4()
    rma = authorised(order_id, A="5")
    rma.receive(uuid4(), order_id, lines(A="2"), occurred_at=T)
    rma.receive(uuid4(), order_id, lines(A="3"), occurred_at=T)
    assert rma.receivable("A") == Decimal(0)
    with pytest.raises(RmaExceeded) as refused:
        rma.receive(uuid4(), order_id, lines(A="1"), occurred_at=T)
    assert refused.value.details["receivable"] == "0"
    replayed = ReturnAuthorisation.from_events(rma.collect_events())
    assert replayed.received == {"A": Decimal(5)}


def test_the_rma_of_another_order_does_not_cover_the_return() -> None:
    rma = authorised(uuid4(), A="3")
    with pytest.raises(RmaNotFound) as refused:
        rma.receive(uuid4(), uuid4(), lines(A="1"), occurred_at=T)
    assert refused.value.code == "rma_not_found"
    assert not rma.pending_events


def test_an_rma_inventory_never_learned_of_covers_nothing() -> None:
    with pytest.raises(RmaNotFound):
        ReturnAuthorisation().receive(uuid4(), uuid4(), lines(A="1"), occurred_at=T)


def test_the_same_customer_return_is_not_received_twice_on_an_rma() -> None:
    order_id, return_id = uuid4(), uuid4()
    rma = authorised(order_id, A="3")
    rma.receive(return_id, order_id, lines(A="1"), occurred_at=T)
    with pytest.raises(AlreadyExists):
        rma.receive(return_id, order_id, lines(A="1"), occurred_at=T)


def test_an_rma_is_recorded_once_with_its_lines_merged_per_sku() -> None:
    rma = ReturnAuthorisation()
    order_id = uuid4()
    rma.record_authorised(
        uuid4(), "SR-1", order_id, "WH-SH", lines(A="1") + lines(A="2"), occurred_at=T
    )
    assert rma.authorised == {"A": Decimal(3)}
    with pytest.raises(AlreadyExists):
        rma.record_authorised(uuid4(), "SR-1", order_id, "WH-SH", lines(A="1"), occurred_at=T)
