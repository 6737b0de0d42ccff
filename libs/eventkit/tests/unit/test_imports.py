"""Reading and validating import files (eventkit.imports): encodings, XLSX, cell errors."""

import io
from decimal import Decimal
from enum import StrEnum

import pytest
from openpyxl import Workbook, load_workbook  # type: ignore[import-untyped]

from eventkit.http.schemas import Name, NonNegativeQty, Sku
from eventkit.imports import (
    FileRejected,
    ImportSpec,
    UnreadableFile,
    bool_column,
    decimal_column,
    enum_column,
    grouped,
    paired,
    read_table,
    template_csv,
    template_xlsx,
    text_column,
    validate,
)


class Policy(StrEnum):
    FORBID = "forbid"
    ALLOW = "allow"


SPEC = ImportSpec(
    kind="items",
    title="Items 物料",
    columns=(
        text_column("sku", "物料编码", Sku, required=True, example="A-1"),
        text_column("name", "名称", Name, required=True, example="螺丝"),
        decimal_column("reorder_point", "再订货点", NonNegativeQty, example="10"),
        enum_column("negative_stock", "负库存", Policy, example="forbid"),
        bool_column("active", "启用", example="是"),
    ),
    key=("sku",),
)


def rows_of(text: str, encoding: str = "utf-8") -> list[dict[str, object]]:
    return [dict(row.values) for row in validate(SPEC, read_table(text.encode(encoding)))]


def errors_of(text: str) -> list[tuple[int, str, str]]:
    with pytest.raises(FileRejected) as rejected:
        validate(SPEC, read_table(text.encode()))
    return [(e.row, e.column, e.cell) for e in rejected.value.errors]


def xlsx(*rows: list[object]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_utf8_csv_with_a_byte_order_mark_reads_its_first_header() -> None:
    rows = rows_of("\ufeffsku,name\nA-1,螺丝\n")
    assert rows[0]["sku"] == "A-1"
    assert rows[0]["name"] == "螺丝"


def test_gbk_csv_as_excel_in_china_saves_it_is_detected() -> None:
    rows = rows_of("物料编码,名称\nA-1,六角螺丝\n", encoding="gbk")
    assert rows == [
        {"sku": "A-1", "name": "六角螺丝", "reorder_point": None, "negative_stock": None}
        | {"active": None}
    ]


def test_headers_are_accepted_in_chinese_english_or_both_and_typed() -> None:
    rows = rows_of("物料编码(sku),Name,再订货点,负库存,启用\nA-1,x,2.50,ALLOW,否\n")
    assert rows[0]["reorder_point"] == Decimal("2.50")
    assert rows[0]["negative_stock"] is Policy.ALLOW
    assert rows[0]["active"] is False


def test_xlsx_cells_are_read_as_the_text_a_clerk_sees() -> None:
    table = read_table(xlsx(["sku", "name", "reorder_point"], ["A-1", "x", 12.5], [7, "y", 3]))
    assert table.rows == ((2, ("A-1", "x", "12.5")), (3, ("7", "y", "3")))


def test_every_bad_cell_is_reported_with_its_spreadsheet_row_column_and_cell() -> None:
    text = "sku,name,reorder_point,negative_stock\nA-1,x,-1,forbid\n,y,1,maybe\nA-3,z,1,allow\n"
    assert errors_of(text) == [
        (2, "reorder_point", "C2"),
        (3, "sku", "A3"),
        (3, "negative_stock", "D3"),
    ]


def test_an_enum_cell_error_names_the_allowed_values() -> None:
    with pytest.raises(FileRejected) as rejected:
        validate(SPEC, read_table(b"sku,name,negative_stock\nA,x,maybe\n"))
    assert rejected.value.errors[0].reason == "must be one of forbid, allow"


def test_a_duplicate_natural_key_is_an_error_on_the_later_row_naming_the_first() -> None:
    with pytest.raises(FileRejected) as rejected:
        validate(SPEC, read_table(b"sku,name\nA-1,x\nB,y\na-1,z\n"))
    (error,) = rejected.value.errors
    assert (error.row, error.column, error.reason) == (4, "sku", "duplicates row 2 (same sku)")


def test_unknown_and_missing_columns_are_errors_in_the_header_row() -> None:
    errors = errors_of("sku,colour\nA,red\n")
    assert errors == [(1, "colour", "B1"), (1, "name", "")]


def test_blank_rows_are_skipped_but_keep_later_row_numbers_true() -> None:
    assert errors_of("sku,name\nA,x\n,\nB,\n") == [(4, "name", "B4")]


def test_bytes_that_are_no_spreadsheet_are_unreadable() -> None:
    with pytest.raises(UnreadableFile):
        read_table(b"PK\x03\x04 not really a zip")
    with pytest.raises(UnreadableFile):
        read_table(b"")


def test_the_csv_template_reads_back_as_a_valid_file() -> None:
    data = template_csv(SPEC)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = validate(SPEC, read_table(data))
    assert rows[0]["sku"] == "A-1"
    assert rows[0]["active"] is True


def test_the_xlsx_template_holds_the_header_and_one_example_row() -> None:
    sheet = load_workbook(io.BytesIO(template_xlsx(SPEC))).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][:2] == ["物料编码(sku)", "名称(name)"]
    assert len(validate(SPEC, read_table(template_xlsx(SPEC)))) == 1


def test_rows_of_one_record_must_repeat_its_columns_alike() -> None:
    spec = ImportSpec(
        kind="suppliers",
        title="",
        columns=(
            text_column("supplier_id", "供应商编码", required=True),
            text_column("name", "名称"),
            text_column("sku", "物料编码"),
            decimal_column("unit_price", "单价"),
        ),
        key=("supplier_id", "sku"),
    )
    text = "supplier_id,name,sku,unit_price\nS1,茶厂,A,1\nS1,茶厂,B,\nS2,x,,\nS1,别名,C,3\n"
    groups, errors = grouped(validate(spec, read_table(text.encode())), "supplier_id", ["name"])
    assert [len(rows) for rows in groups.values()] == [3, 1]
    assert [(e.row, e.column, e.reason) for e in errors] == [
        (5, "name", "differs from row 2 of the same supplier_id")
    ]
    problems = [paired(row, "sku", "unit_price") for rows in groups.values() for row in rows]
    assert [(p.row, p.column) for p in problems if p is not None] == [(3, "unit_price")]


def test_an_error_at_a_column_the_file_left_out_names_no_cell() -> None:
    (row,) = validate(SPEC, read_table(b"sku,name\nA,x\n"))
    assert row.error("name", "r").cell == "B2"
    assert row.error("reorder_point", "r").cell == ""
