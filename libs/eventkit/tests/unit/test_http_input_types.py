"""The annotated input types of eventkit.http.schemas refuse what the database or Python could
not hold, and the OpenAPI document describes each constraint."""

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from pydantic import BaseModel, TypeAdapter, ValidationError

from eventkit.errors import InvalidCommand
from eventkit.http.schemas import (
    MAX_DOCUMENT_LINES,
    STORABLE_TEXT_PATTERN,
    Amount,
    AwareMoment,
    BusinessDate,
    Code,
    Lines,
    Moment,
    Month,
    Name,
    NonNegativeQty,
    PositiveQty,
    QueryText,
    SignedQty,
    Sku,
    Text,
    UnitAmount,
    WarehouseId,
    require_ordered,
)

TEXT_TYPES: list[Any] = [Name, Code, Sku, WarehouseId, Text, QueryText]


def errors_of(kind: Any, value: object) -> list[str]:
    with pytest.raises(ValidationError) as raised:
        TypeAdapter(kind).validate_python(value)
    return [error["msg"] for error in raised.value.errors()]


@pytest.mark.parametrize("kind", TEXT_TYPES)
def test_text_with_a_nul_character_is_refused(kind: Any) -> None:
    assert errors_of(kind, "ab\x00c") == ["Value error, must not contain NUL (U+0000) characters"]


@pytest.mark.parametrize("kind", TEXT_TYPES)
def test_text_with_an_unpaired_surrogate_is_refused(kind: Any) -> None:
    assert errors_of(kind, "ab\ud800")


@pytest.mark.parametrize("kind", TEXT_TYPES)
def test_ordinary_text_with_tabs_newlines_and_chinese_passes_unchanged(kind: Any) -> None:
    assert TypeAdapter(kind).validate_python("采购\t单\n1") == "采购\t单\n1"


@pytest.mark.parametrize(
    ("kind", "longest"), [(Name, 200), (Code, 64), (Sku, 64), (Text, 500), (QueryText, 200)]
)
def test_text_longer_than_its_limit_is_refused(kind: Any, longest: int) -> None:
    assert TypeAdapter(kind).validate_python("x" * longest) == "x" * longest
    assert errors_of(kind, "x" * (longest + 1)) == [
        f"String should have at most {longest} characters"
    ]


def test_names_and_codes_must_not_be_empty() -> None:
    assert errors_of(Name, "")
    assert errors_of(Code, "")
    assert TypeAdapter(Text).validate_python("") == ""


@pytest.mark.parametrize("kind", TEXT_TYPES)
def test_the_json_schema_states_length_and_the_characters_refused(kind: Any) -> None:
    schema = TypeAdapter(kind).json_schema()
    assert schema["pattern"] == STORABLE_TEXT_PATTERN
    assert "maxLength" in schema


@pytest.mark.parametrize("text", ["1900-01-01", "2026-11-24", "2999-12-31"])
def test_business_dates_inside_the_range_pass(text: str) -> None:
    assert TypeAdapter(BusinessDate).validate_python(text) == date.fromisoformat(text)


@pytest.mark.parametrize("text", ["1899-12-31", "0001-01-01", "3000-01-01", "9999-12-31"])
def test_business_dates_outside_1900_to_2999_are_refused(text: str) -> None:
    assert errors_of(BusinessDate, text) == [
        "Value error, must be between 1900-01-01 and 2999-12-31"
    ]


@pytest.mark.parametrize("value", ["0", "1700000000", 1700000000, 1.5, "24/11/2026", "tomorrow"])
def test_dates_and_times_are_iso_text_not_seconds_since_1970(value: object) -> None:
    assert errors_of(BusinessDate, value)
    assert errors_of(Moment, value)
    assert errors_of(AwareMoment, value)


@pytest.mark.parametrize(
    "text",
    [
        "1899-12-31T23:59:59Z",
        "1900-01-01T00:30:00+01:00",  # 1899-12-31T23:30 in UTC
        "2999-12-31T23:00:00-05:00",  # 3000-01-01T04:00 in UTC
        "0001-01-01T00:00:00+05:00",  # would overflow when converted to UTC
        "9999-12-31T23:59:59-05:00",
    ],
)
def test_moments_outside_the_range_in_utc_are_refused_without_overflowing(text: str) -> None:
    assert errors_of(Moment, text) == [
        "Value error, must be between 1900-01-01 and 2999-12-31 (UTC)"
    ]
    assert errors_of(AwareMoment, text)


def test_a_moment_keeps_its_offset_and_one_without_an_offset_is_utc() -> None:
    moment = TypeAdapter(Moment)
    east8 = timezone(timedelta(hours=8))
    assert moment.validate_python("2026-11-24T09:00:00+08:00") == datetime(
        2026, 11, 24, 9, tzinfo=east8
    )
    assert moment.validate_python("2026-11-24T09:00:00") == datetime(2026, 11, 24, 9, tzinfo=UTC)
    assert moment.validate_python("2026-11-24") == datetime(2026, 11, 24, tzinfo=UTC)


def test_a_document_time_needs_its_offset() -> None:
    assert errors_of(AwareMoment, "2026-11-24T09:00:00")
    assert TypeAdapter(AwareMoment).validate_python("2026-11-24T09:00:00Z") == datetime(
        2026, 11, 24, 9, tzinfo=UTC
    )


@pytest.mark.parametrize("period", ["1900-01", "2026-11", "2999-12"])
def test_months_in_range_pass(period: str) -> None:
    assert TypeAdapter(Month).validate_python(period) == period


@pytest.mark.parametrize(
    "period", ["0000-01", "1899-12", "3000-01", "9999-12", "2026-13", "2026-1"]
)
def test_months_out_of_range_or_shape_are_refused(period: str) -> None:
    assert errors_of(Month, period)


def test_a_reversed_range_is_refused_at_the_end_parameter() -> None:
    require_ordered(date(2026, 1, 1), date(2026, 1, 1))
    require_ordered(None, date(2026, 1, 1))
    with pytest.raises(InvalidCommand) as raised:
        require_ordered(date(2026, 2, 1), date(2026, 1, 1))
    assert raised.value.loc == ("query", "to")


class Document(BaseModel):
    lines: Lines[int]


def test_a_document_has_between_one_and_a_thousand_lines() -> None:
    assert len(Document(lines=[1] * MAX_DOCUMENT_LINES).lines) == MAX_DOCUMENT_LINES
    for lines in ([], [1] * (MAX_DOCUMENT_LINES + 1)):
        with pytest.raises(ValidationError):
            Document(lines=lines)
    schema = Document.model_json_schema()["properties"]["lines"]
    assert (schema["minItems"], schema["maxItems"]) == (1, MAX_DOCUMENT_LINES)


@pytest.mark.parametrize("kind", [PositiveQty, NonNegativeQty, SignedQty, UnitAmount])
@pytest.mark.parametrize("value", ["1000000000", "1E+30", 1e300, "0.0000001", "NaN", "Infinity"])
def test_quantities_and_unit_amounts_of_a_billion_or_more_decimals_are_refused(
    kind: Any, value: object
) -> None:
    assert errors_of(kind, value)


def test_money_of_a_thousand_trillion_or_with_cents_below_a_cent_is_refused() -> None:
    assert errors_of(Amount, "1000000000000000")
    assert errors_of(Amount, "0.001")
    assert TypeAdapter(Amount).validate_python("999999999999999.99") == Decimal(
        "999999999999999.99"
    )


def test_a_line_at_the_largest_qty_and_price_is_exact_and_fits_the_money_columns() -> None:
    qty = TypeAdapter(PositiveQty).validate_python("999999999.999999")
    price = TypeAdapter(UnitAmount).validate_python("999999999.999999")
    document = (qty * price * MAX_DOCUMENT_LINES).quantize(Decimal("0.01"))
    assert document < Decimal(10) ** 22  # numeric(24, 2)


def test_zeros_beyond_the_decimal_places_are_dropped_exactly() -> None:
    assert str(TypeAdapter(NonNegativeQty).validate_python("0E-1000000")) == "0.000000"
    assert str(TypeAdapter(SignedQty).validate_python("-2." + "0" * 50)) == "-2.000000"
    assert str(TypeAdapter(PositiveQty).validate_python("2.5")) == "2.5"
