"""Purchasing domain events ⇄ stored payloads (the JSON form in `domain/payloads.py`)."""

from collections.abc import Mapping
from typing import Any

from purchasing.domain.events import DomainEvent
from purchasing.domain.payloads import from_payload, to_payload


class PurchasingCodec:
    def event_type(self, event: DomainEvent) -> str:
        return event.event_type

    def encode(self, event: DomainEvent) -> dict[str, Any]:
        return to_payload(event)

    def decode(self, event_type: str, payload: Mapping[str, Any]) -> DomainEvent:
        return from_payload(event_type, payload)


CODEC = PurchasingCodec()
