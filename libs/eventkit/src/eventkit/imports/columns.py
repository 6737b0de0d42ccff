"""Column specs of an import kind: header names (English and 中文), a type, required or not.

A column's type is a pydantic type (usually one of `eventkit.http.schemas`' edge types), so a
cell is checked exactly as the same field in a JSON command body would be. The constructors
below cover what a spreadsheet holds: text, Decimal, date, enum, bool.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BeforeValidator, TypeAdapter, ValidationError

from eventkit.http.schemas import BusinessDate, Text

_TRUE = {"true", "yes", "y", "1", "是", "对", "√"}
_FALSE = {"false", "no", "n", "0", "否", "不", "×"}


def _boolean(value: Any) -> Any:
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError("must be yes/no (是/否, true/false, 1/0)")


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    zh: str
    type: Any = Text
    required: bool = False
    example: str = ""
    description: str = ""
    #: Values an enum column takes (shown in the template's docs and in errors).
    choices: tuple[str, ...] = ()
    _adapter: TypeAdapter[Any] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_adapter", TypeAdapter(self.type))

    @property
    def headers(self) -> tuple[str, str]:
        return (self.name, self.zh)

    def parse(self, text: str) -> Any:
        """The cell's value (None for an empty optional cell) or ValueError with the reason."""
        if text == "":
            if self.required:
                raise ValueError("is required")
            return None
        try:
            return self._adapter.validate_python(text)
        except ValidationError as error:
            raise ValueError(_reason(error, self.choices)) from None


def _reason(error: ValidationError, choices: Sequence[str]) -> str:
    if choices:
        return f"must be one of {', '.join(choices)}"
    first = error.errors()[0]
    return str(first.get("msg", "is invalid"))


def text_column(name: str, zh: str, type_: Any = Text, **options: Any) -> Column:
    return Column(name, zh, type_, **options)


def decimal_column(name: str, zh: str, type_: Any = Decimal, **options: Any) -> Column:
    return Column(name, zh, type_, **options)


def date_column(name: str, zh: str, type_: Any = BusinessDate, **options: Any) -> Column:
    return Column(name, zh, type_, **options)


def enum_column(name: str, zh: str, enum: type[StrEnum], **options: Any) -> Column:
    """Values are matched case-insensitively against the enum's values."""
    lowered: Any = Annotated[enum, BeforeValidator(lambda v: str(v).strip().lower())]
    choices = tuple(member.value for member in enum)
    return Column(name, zh, lowered, choices=choices, **options)


def bool_column(name: str, zh: str, **options: Any) -> Column:
    return Column(name, zh, Annotated[bool, BeforeValidator(_boolean)], **options)


__all__ = [
    "Column",
    "bool_column",
    "date_column",
    "decimal_column",
    "enum_column",
    "text_column",
]
