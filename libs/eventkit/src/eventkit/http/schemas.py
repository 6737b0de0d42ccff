"""Building blocks of every service's HTTP input — bodies, query and path parameters (the edge:
shape, types, signs, lengths and ranges are checked here, so bad input is a 422 with field
paths before any business code or database sees it).

Every constraint lives in the type, so the OpenAPI document describes it too (and a fuzzer's
negative cases are meaningful). Limits are listed in docs/eventkit.md, "Hostile input".
"""

import re
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Annotated, TypeVar

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
)

from erp_contracts import types as contract_types
from eventkit.errors import InvalidCommand

# --- text ---------------------------------------------------------------------------------

#: What text may not hold: NUL (PostgreSQL `text` and `jsonb` cannot store it) and unpaired
#: surrogates (not encodable as UTF-8). As a JSON Schema pattern for the OpenAPI document.
STORABLE_TEXT_PATTERN = r"^[^\x00\uD800-\uDFFF]*$"
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def storable_text(value: str) -> str:
    """`value` unchanged, or ValueError (→ 422) if it holds a NUL or an unpaired surrogate."""
    found = _UNSTORABLE.search(value)
    if found is None:
        return value
    if found.group() == "\x00":
        raise ValueError("must not contain NUL (U+0000) characters")
    raise ValueError("must not contain unpaired surrogate code points")


_Storable = AfterValidator(storable_text)
_StorablePattern = Field(json_schema_extra={"pattern": STORABLE_TEXT_PATTERN})

#: A name a person reads (item, supplier, customer, warehouse): 1–200 characters.
Name = Annotated[str, Field(min_length=1, max_length=200), _StorablePattern, _Storable]
#: A client-chosen code (supplier_id, customer_id, invoice number, location): 1–64 characters.
Code = Annotated[str, Field(min_length=1, max_length=64), _StorablePattern, _Storable]
#: Master-data codes of the public contracts (1–64 characters), storable.
Sku = Annotated[contract_types.Sku, _StorablePattern, _Storable]
WarehouseId = Annotated[contract_types.WarehouseId, _StorablePattern, _Storable]
#: Free text a clerk types (a reason, a note, a category): at most 500 characters.
Text = Annotated[str, Field(max_length=500), _StorablePattern, _Storable]
#: A query or path parameter compared with stored text (a filter): at most 200 characters.
QueryText = Annotated[str, Field(max_length=200), _StorablePattern, _Storable]

# --- numbers (money and quantities: decimal strings, numbers accepted) ----------------------

#: A number of days (payment terms, lead times).
Days = Annotated[int, Field(ge=0, le=3650)]

#: Magnitudes the edge accepts. The contracts allow 24 digits, but a line's value is qty × unit
#: price and a document sums up to 1,000 lines: with qty < 10⁹ and unit price < 10⁹ a line is
#: < 10¹⁸ and a document < 10²¹, exact in Decimal's 28 digits and within the read models'
#: numeric(24, 2) money columns. (Larger inputs made a 500 — InvalidOperation on rounding.)
MAX_QTY = Decimal(10**9)
MAX_UNIT_AMOUNT = Decimal(10**9)
MAX_AMOUNT = Decimal(10**15)


def _trimmed(places: int) -> AfterValidator:
    """`0E-1000000` or `1.000…0` (a million zeros) pass a decimal-places check, but their
    exponent is not one the database takes: drop the zeros beyond `places` (exact)."""

    def trim(value: Decimal) -> Decimal:
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and exponent < -places:
            return value.quantize(Decimal(1).scaleb(-places))
        return value

    return AfterValidator(trim)


#: A quantity > 0 (6 decimal places at most), below MAX_QTY.
PositiveQty = Annotated[Decimal, Field(gt=0, lt=MAX_QTY, decimal_places=6), _trimmed(6)]
#: A quantity that may be 0 (a rejected qty, a count), below MAX_QTY.
NonNegativeQty = Annotated[Decimal, Field(ge=0, lt=MAX_QTY, decimal_places=6), _trimmed(6)]
#: A signed quantity (adjustments), below MAX_QTY either way.
SignedQty = Annotated[Decimal, Field(gt=-MAX_QTY, lt=MAX_QTY, decimal_places=6), _trimmed(6)]
#: A unit price or unit cost > 0 (a purchase price), below MAX_UNIT_AMOUNT.
PositiveUnitAmount = Annotated[
    Decimal, Field(gt=0, lt=MAX_UNIT_AMOUNT, decimal_places=6), _trimmed(6)
]
#: A unit price or unit cost ≥ 0 (6 decimal places at most), below MAX_UNIT_AMOUNT.
UnitAmount = Annotated[Decimal, Field(ge=0, lt=MAX_UNIT_AMOUNT, decimal_places=6), _trimmed(6)]
#: A money amount ≥ 0 with at most 2 decimal places (credit limits), below 10¹⁵.
Amount = Annotated[Decimal, Field(ge=0, lt=MAX_AMOUNT, decimal_places=2), _trimmed(2)]
#: A money amount > 0 (a payment, an allocation), below 10¹⁵.
PositiveAmount = Annotated[Decimal, Field(gt=0, lt=MAX_AMOUNT, decimal_places=2), _trimmed(2)]

# --- dates and times ----------------------------------------------------------------------

#: Business dates and times lie in [1900-01-01, 2999-12-31] (UTC). Wider than any business
#: needs, narrow enough that no arithmetic on them (time zones, month ends, ageing) leaves
#: Python's or PostgreSQL's range.
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2999, 12, 31)
EARLIEST_MOMENT = datetime.combine(EARLIEST_DATE, time.min, tzinfo=UTC)
LATEST_MOMENT = datetime.combine(LATEST_DATE, time.max, tzinfo=UTC)
_RANGE = f"between {EARLIEST_DATE.isoformat()} and {LATEST_DATE.isoformat()}"


_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_ISO_MOMENT = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}([Tt ]|$)")


def _iso_text(shape: re.Pattern[str], what: str) -> BeforeValidator:
    """Only ISO-8601 text (or a value already parsed): pydantic would also take a number, or
    a numeric string, as seconds since 1970 — not what the API documents."""

    def check(value: object) -> object:
        if isinstance(value, date) or (isinstance(value, str) and shape.match(value)):
            return value
        raise ValueError(f"must be an ISO-8601 {what}")

    return BeforeValidator(check)


def business_date(value: date) -> date:
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValueError(f"must be {_RANGE}")
    return value


def business_moment(value: datetime) -> datetime:
    """`value` (a time without an offset is UTC) if it lies in the business range (UTC)."""
    # The local year is checked first: converting year 1 or 9999 with an offset would overflow.
    if not EARLIEST_DATE.year <= value.year <= LATEST_DATE.year:
        raise ValueError(f"must be {_RANGE} (UTC)")
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    if not EARLIEST_MOMENT <= aware <= LATEST_MOMENT:
        raise ValueError(f"must be {_RANGE} (UTC)")
    return aware


_DATE_DOC = f"ISO-8601 date (yyyy-mm-dd), {_RANGE}"
_MOMENT_DOC = f"ISO-8601 date-time with an offset, {_RANGE} UTC"

#: A business date (invoice date, expected date, report bounds).
BusinessDate = Annotated[
    date,
    _iso_text(_ISO_DATE, "date (yyyy-mm-dd)"),
    AfterValidator(business_date),
    Field(description=_DATE_DOC),
]
#: An instant given with its offset (a document's business time).
AwareMoment = Annotated[
    AwareDatetime,
    _iso_text(_ISO_MOMENT, "date-time"),
    AfterValidator(business_moment),
    Field(description=_MOMENT_DOC),
]
#: An instant in a query (`as_of`, `from`, `to`); one without an offset is taken as UTC.
Moment = Annotated[
    datetime,
    _iso_text(_ISO_MOMENT, "date-time"),
    AfterValidator(business_moment),
    Field(description=f"{_MOMENT_DOC} (none given: UTC)"),
]
#: A calendar month `yyyy-mm` (an accounting period) in the business range.
Month = Annotated[
    str,
    Field(
        pattern=r"^(19[0-9]{2}|2[0-9]{3})-(0[1-9]|1[0-2])$",
        description="yyyy-mm, 1900-01 to 2999-12",
    ),
]

OrderedT = TypeVar("OrderedT", date, datetime)


def require_ordered(
    start: OrderedT | None, end: OrderedT | None, loc: tuple[str, ...] = ("query", "to")
) -> None:
    """A range must not end before it starts: InvalidCommand (→ 422 at `loc`) otherwise."""
    if start is not None and end is not None and end < start:
        raise InvalidCommand("the range ends before it starts (to < from)", loc)


# --- lists --------------------------------------------------------------------------------

#: Lines of one document (order, receipt, invoice, return, transfer, allocations).
MAX_DOCUMENT_LINES = 1_000
#: Entries of one master-data list sent at once (a price list, a warehouse's locations).
MAX_LIST_ENTRIES = 10_000

T = TypeVar("T")
#: A document's lines: at least one, at most MAX_DOCUMENT_LINES.
Lines = Annotated[list[T], Field(min_length=1, max_length=MAX_DOCUMENT_LINES)]
#: A master-data list (may be empty), at most MAX_LIST_ENTRIES.
Entries = Annotated[list[T], Field(max_length=MAX_LIST_ENTRIES)]


# --- bodies -------------------------------------------------------------------------------


class Body(BaseModel):
    """A request body: unknown fields are refused (a typo must not be silently ignored)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def require_unique_skus(lines: list[BaseModel]) -> None:
    """One line per sku in a document: raises ValueError (→ 422) otherwise."""
    skus = [getattr(line, "sku", None) for line in lines]
    if len(set(skus)) != len(skus):
        raise ValueError("each sku may appear on one line only")
