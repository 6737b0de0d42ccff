"""Upcasters turn an old payload into the next schema version, on read.

Register one function per (event_type, from_version); reading applies them in a chain until
no upcaster is left, so a v1 payload read by code that knows v3 goes v1 → v2 → v3.
"""

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from eventkit.store.records import RecordedEvent

Payload = dict[str, Any]
Upcaster = Callable[[Payload], Payload]


class Upcasters:
    def __init__(self) -> None:
        self._chain: dict[tuple[str, int], Upcaster] = {}

    def register(self, event_type: str, from_version: int) -> Callable[[Upcaster], Upcaster]:
        def add(fn: Upcaster) -> Upcaster:
            self._chain[(event_type, from_version)] = fn
            return fn

        return add

    def upcast(self, event: RecordedEvent) -> RecordedEvent:
        if not self._chain:
            return event
        payload, version = event.payload, event.schema_version
        while (step := self._chain.get((event.event_type, version))) is not None:
            payload, version = step(payload), version + 1
        if version == event.schema_version:
            return event
        return replace(event, payload=payload, schema_version=version)
