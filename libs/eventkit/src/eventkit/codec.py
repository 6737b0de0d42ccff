"""Domain events as frozen dataclasses ⇄ JSON-ready payloads, for every service's store.

Decimals become strings (never floats), datetimes ISO-8601 in UTC, dates ISO dates, UUIDs and
enums strings, tuples lists, nested dataclasses objects. On the way back, fields missing from an
older payload take their defaults and unknown fields are ignored (additive evolution), and
numbers are accepted for decimals. Pure standard library: usable from any layer.

Each class may declare its current payload version as `schema_version: ClassVar[int]` (default
1). Events are written with it, and the store's upcasters bring older payloads up to it on read;
a class that moves to version 2 must say so, or its new payloads would be stored as version 1
and upcast a second time.
"""

import types
from collections.abc import Callable, Iterable, Mapping
from dataclasses import fields, is_dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Any, Union, get_args, get_origin, get_type_hints
from uuid import UUID


class UnknownEventType(ValueError):
    """A stored event type this service's code does not know."""


class DataclassEventCodec:
    """Codec of one service's events; each class has a `ClassVar[str]` `event_type` and may have
    a `ClassVar[int]` `schema_version` (its current payload version, default 1)."""

    def __init__(self, event_classes: Iterable[type], service: str) -> None:
        self.service = service
        self.event_types: Mapping[str, type] = {cls.event_type: cls for cls in event_classes}  # type: ignore[attr-defined]
        for cls in self.event_types.values():
            _class_schema_version(cls)  # a bad declaration fails at start-up, not on a write

    def event_type(self, event: Any) -> str:
        return str(event.event_type)

    def schema_version(self, event: Any) -> int:
        """The version `event`'s payload is written at: its class's current schema version."""
        return _class_schema_version(type(event))

    def encode(self, event: Any) -> dict[str, Any]:
        return _encode_object(event)

    def decode(self, event_type: str, payload: Mapping[str, Any]) -> Any:
        event_class = self.event_types.get(event_type)
        if event_class is None:
            raise UnknownEventType(f"no {self.service} event is called {event_type}")
        return _decode_object(event_class, payload)


def _class_schema_version(cls: type) -> int:
    version = getattr(cls, "schema_version", 1)
    if type(version) is not int or version < 1:
        raise TypeError(f"{cls.__name__}.schema_version must be an int >= 1, not {version!r}")
    return version


def _encode_object(obj: Any) -> dict[str, Any]:
    return {field.name: _encode(getattr(obj, field.name)) for field in fields(obj)}


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


def _decode_object(cls: type, raw: Mapping[str, Any]) -> Any:
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
    if moment.tzinfo is None:
        raise ValueError(f"stored time {raw} has no zone")
    return moment.astimezone(UTC)


_SCALAR_DECODERS: dict[Any, Callable[[Any], Any]] = {
    date: date.fromisoformat,
    Decimal: _decode_decimal,
    datetime: _decode_datetime,
    UUID: lambda raw: UUID(str(raw)),
}
