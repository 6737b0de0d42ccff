"""Validating a WHOLE file against its kind's spec: every bad cell is reported, none skipped.

A cell error names the row as the spreadsheet shows it (header = row 1), the column (its
English name) and the cell address (``C5``), with a reason a clerk can act on. Two rows with
the same natural key are an error on the later row. Nothing is written unless the list is
empty: the caller refuses the whole file.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from eventkit.imports.columns import Column
from eventkit.imports.reading import Table

#: A file's rows beyond this are refused (a migration is split into several files).
MAX_ROWS = 100_000
HEADER_ROW = 1
_BRACKETED = re.compile(r"^(?P<outer>[^(（]*)[(（](?P<inner>[^)）]*)[)）]\s*$")


@dataclass(frozen=True, slots=True)
class CellError:
    row: int
    column: str
    reason: str
    cell: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "cell": self.cell, "reason": self.reason}


class FileRejected(Exception):
    """The file is refused; `errors` lists every bad cell. Raised inside the write
    transaction (a row that conflicts with what is stored) it rolls everything back."""

    def __init__(self, errors: Sequence[CellError]) -> None:
        super().__init__(f"{len(errors)} bad cell(s)")
        self.errors = tuple(errors)


@dataclass(frozen=True, slots=True)
class ImportSpec:
    kind: str
    title: str
    columns: tuple[Column, ...]
    #: Column names whose values identify a row (an item's sku): unique within a file.
    key: tuple[str, ...]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


@dataclass(frozen=True, slots=True)
class ImportRow:
    row: int
    values: Mapping[str, Any]
    letters: Mapping[str, str] = field(repr=False)

    def __getitem__(self, name: str) -> Any:
        return self.values.get(name)

    def error(self, column: str, reason: str) -> CellError:
        """A cell error at this row's `column` (for conflicts found while writing)."""
        letter = self.letters.get(column)
        # A column left out of the file has no cell to point at.
        return CellError(self.row, column, reason, f"{letter}{self.row}" if letter else "")


def validate(spec: ImportSpec, table: Table) -> list[ImportRow]:
    """The file's rows, typed; `FileRejected` with every bad cell if any."""
    positions, errors = _header_positions(spec, table.header)
    letters = {name: column_letter(index) for name, index in positions.items()}
    if len(table.rows) > MAX_ROWS:
        errors.append(CellError(MAX_ROWS + 2, "", f"a file holds at most {MAX_ROWS} rows"))
    rows: list[ImportRow] = []
    seen: dict[tuple[Any, ...], int] = {}
    for number, cells in table.rows if not errors else ():
        values = _row_values(spec, positions, number, cells, errors)
        row = ImportRow(number, values, letters)
        key = tuple(_key_text(values.get(name)) for name in spec.key)
        if all(part != "" for part in key) and key in seen:
            same = ", ".join(spec.key)
            errors.append(row.error(spec.key[0], f"duplicates row {seen[key]} (same {same})"))
        seen.setdefault(key, number)
        rows.append(row)
    if errors:
        raise FileRejected(errors)
    return rows


def _key_text(value: Any) -> str:
    # Keys compare as the text a clerk typed, case-insensitively ("a-1" and "A-1" collide).
    return "" if value is None else str(value).strip().casefold()


def _row_values(
    spec: ImportSpec,
    positions: Mapping[str, int],
    number: int,
    cells: Sequence[str],
    errors: list[CellError],
) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for column in spec.columns:
        index = positions.get(column.name)
        text = cells[index] if index is not None and index < len(cells) else ""
        try:
            values[column.name] = column.parse(text)
        except ValueError as error:
            cell = f"{column_letter(index)}{number}" if index is not None else ""
            errors.append(CellError(number, column.name, str(error), cell))
    used = set(positions.values())
    for index in range(len(cells)):
        if index not in used and cells[index]:
            reason = "a value in a column without a header"
            errors.append(CellError(number, "", reason, f"{column_letter(index)}{number}"))
    return values


def _header_positions(
    spec: ImportSpec, header: Sequence[str]
) -> tuple[dict[str, int], list[CellError]]:
    """Which spreadsheet column holds each spec column; unknown or repeated headers and
    missing required columns are errors in row 1."""
    names = {alias.casefold(): c.name for c in spec.columns for alias in c.headers}
    positions: dict[str, int] = {}
    errors: list[CellError] = []
    for index, text in enumerate(header):
        if not text:
            continue
        cell = f"{column_letter(index)}{HEADER_ROW}"
        name = next((names[a] for a in header_aliases(text) if a in names), None)
        if name is None:
            errors.append(CellError(HEADER_ROW, text, "unknown column", cell))
        elif name in positions:
            errors.append(CellError(HEADER_ROW, name, "the column appears twice", cell))
        else:
            positions[name] = index
    errors.extend(
        CellError(HEADER_ROW, column.name, "required column is missing")
        for column in spec.columns
        if column.required and column.name not in positions
    )
    return positions, errors


def header_aliases(text: str) -> list[str]:
    """'物料编码(sku)' is matched as itself, as '物料编码' and as 'sku'."""
    aliases = [text.strip()]
    bracketed = _BRACKETED.match(text.strip())
    if bracketed:
        aliases += [bracketed["outer"].strip(), bracketed["inner"].strip()]
    return [alias.casefold() for alias in aliases if alias]


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA (as spreadsheets name columns)."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters
