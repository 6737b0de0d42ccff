"""Domain events ⇄ JSON-ready dicts, for the event store and the outbox.

Decimals become strings (never floats), datetimes ISO-8601 strings in UTC, dates ISO dates,
UUIDs strings, tuples lists, nested line dataclasses objects. On the way back, fields missing
from an older payload take their defaults and unknown fields are ignored (additive evolution);
numbers are accepted for decimals.
"""

import types
from collections.abc import Callable, Mapping
from dataclasses import fields, is_dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Any, Union, cast, get_args, get_origin, get_type_hints
from uuid import UUID

from purchasing.domain import events as e
from purchasing.domain.errors import UnknownEventType
from purchasing.domain.events import DomainEvent

EVENT_CLASSES: tuple[type[DomainEvent], ...] = (
    e.SupplierRegistered,
    e.SupplierPriceSet,
    e.PurchaseRequisitionRaised,
    e.RequisitionOrdered,
    e.PurchaseOrderDrafted,
    e.PurchaseOrderPlaced,
    e.PurchaseOrderCancelled,
    e.GoodsReceiptRecorded,
    e.PurchaseOrderClosed,
    e.PurchaseReturnRequested,
    e.SupplierReturnRecorded,
)
EVENT_TYPES: Mapping[str, type[DomainEvent]] = {cls.event_type: cls for cls in EVENT_CLASSES}


def to_payload(event: DomainEvent) -> dict[str, Any]:
    return _encode_object(event)


def from_payload(event_type: str, payload: Mapping[str, Any]) -> DomainEvent:
    event_class = EVENT_TYPES.get(event_type)
    if event_class is None:
        raise UnknownEventType(f"no purchasing event is called {event_type}")
    return cast(DomainEvent, _decode_object(event_class, payload))


def _encode_object(obj: object) -> dict[str, Any]:
    return {field.name: _encode(getattr(obj, field.name)) for field in fields(obj)}  # type: ignore[arg-type]


def _encode(value: object) -> Any:  # noqa: PLR0911 - one flat case per JSON form
    match value:
        case Decimal() | UUID():
            return str(value)
        case datetime():
            return value.astimezone(UTC).isoformat()
        case date():
            return value.isoformat()
        case Enum():
            return value.value
        case tuple():
            return [_encode(item) for item in value]
        case _ if is_dataclass(value) and not isinstance(value, type):
            return _encode_object(value)
        case _:
            return value


@cache
def _field_types(cls: type) -> dict[str, Any]:
    hints = get_type_hints(cls)
    return {field.name: hints[field.name] for field in fields(cls)}


def _decode_object(cls: type, raw: Mapping[str, Any]) -> object:
    types_by_name = _field_types(cls)
    kwargs = {name: _decode(tp, raw[name]) for name, tp in types_by_name.items() if name in raw}
    return cls(**kwargs)


def _decode(tp: Any, raw: Any) -> Any:
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        (inner,) = [arg for arg in get_args(tp) if arg is not type(None)]
        return None if raw is None else _decode(inner, raw)
    if origin is tuple:
        return tuple(_decode(get_args(tp)[0], item) for item in raw)
    scalar_decoder = _SCALAR_DECODERS.get(tp)
    if scalar_decoder is not None:
        return scalar_decoder(raw)
    if isinstance(tp, type) and issubclass(tp, Enum):
        return tp(raw)
    if isinstance(tp, type) and is_dataclass(tp):
        return _decode_object(tp, raw)
    return raw


def _decode_decimal(raw: str | int | float) -> Decimal:
    # Numbers are accepted on input; a float goes through its shortest repr, never binary.
    return Decimal(raw) if isinstance(raw, str | int) else Decimal(str(raw))


def _decode_datetime(raw: str) -> datetime:
    moment = datetime.fromisoformat(raw)
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


_SCALAR_DECODERS: dict[Any, Callable[[Any], Any]] = {
    date: date.fromisoformat,
    Decimal: _decode_decimal,
    datetime: _decode_datetime,
    UUID: lambda raw: UUID(str(raw)),
}
