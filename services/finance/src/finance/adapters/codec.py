"""Finance domain events ⇄ stored payloads: eventkit's dataclass codec over the domain's
event catalogue."""

from collections.abc import Mapping
from typing import Any, cast

from eventkit.codec import DataclassEventCodec
from finance.domain.catalogue import EVENT_CLASSES
from finance.domain.events import DomainEvent

CODEC = DataclassEventCodec(EVENT_CLASSES, "finance")

#: The public events finance records, by the stream categories that record them: the relay
#: publishes these and nothing else (eventkit.messaging.public_events). Its ledger postings,
#: copies of other services' documents and bank statements stay in the store.
PUBLIC_EVENTS: Mapping[str, tuple[str, ...]] = {
    "SupplierInvoiceRecorded": ("supplier-invoice",),
    "CustomerInvoiceIssued": ("customer-invoice",),
    "InvoiceSettled": ("supplier-invoice", "customer-invoice"),
    "PaymentMade": ("supplier",),
    "PaymentReceived": ("customer",),
    "PeriodClosed": ("accounting-periods",),
    "PeriodReopened": ("accounting-periods",),
    "CreditNoteIssued": ("note",),
    "DebitNoteIssued": ("note",),
}


def from_payload(event_type: str, payload: Mapping[str, Any]) -> DomainEvent:
    return cast(DomainEvent, CODEC.decode(event_type, payload))
