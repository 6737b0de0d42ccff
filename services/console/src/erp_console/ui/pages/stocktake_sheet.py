"""The 盘点 count sheet as people bring it: pasted lines "sku<TAB or comma>qty" (straight from a
spreadsheet) or an uploaded CSV / XLSX file. Every line is checked before anything is sent:
an unknown sku or a quantity that is not a non-negative number is reported with its line
number and left out; the good lines go to the service in batches.

Two optional columns count per bin (盘点到库位/批次): 3rd 库位/location, 4th 批次/lot. A sku
either has them on none of its lines (counted per sku) or names a location or lot on every
line; a line that mixes the two for a sku already on the sheet is reported and left out (the
service would refuse the whole batch with mixed_count_modes)."""

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

#: Count lines per POST /stocktakes/{id}/counts (the service takes up to 10,000).
BATCH = 1000


#: What one count line counts: (sku, location, lot), '' = not named.
CountKey = tuple[str, str, str]
#: Columns read from a row: sku, qty, location, lot.
COLUMNS = 4


@dataclass
class CountSheet:
    counts: dict[CountKey, str] = field(default_factory=dict)  # → qty; a later line wins
    problems: list[tuple[int, str, str]] = field(default_factory=list)  # (line, text, why)
    lines: int = 0


def parse_pasted(text: str, known_skus: frozenset[str]) -> CountSheet:
    rows = [_cells(line) for line in text.splitlines()]
    return _sheet(rows, known_skus)


def parse_file(name: str, content: bytes, known_skus: frozenset[str]) -> CountSheet:
    if name.lower().endswith(".xlsx"):
        return _sheet(_xlsx_rows(content), known_skus)
    text = content.decode("utf-8-sig", errors="replace")
    return _sheet([row[:COLUMNS] for row in csv.reader(io.StringIO(text))], known_skus)


def batches(counts: dict[CountKey, str]) -> list[list[dict[str, str]]]:
    lines = [_line(key, qty) for key, qty in counts.items()]
    return [lines[i : i + BATCH] for i in range(0, len(lines), BATCH)]


def _line(key: CountKey, qty: str) -> dict[str, str]:
    sku, location, lot = key
    line = {"sku": sku, "counted_qty": qty}
    # Only what is named is sent: a missing location is the default one, a missing lot none.
    return line | ({"location": location} if location else {}) | ({"lot": lot} if lot else {})


def _cells(line: str) -> list[str]:
    separator = "\t" if "\t" in line else ","
    return line.split(separator)


def _xlsx_rows(content: bytes) -> list[list[str]]:
    from openpyxl import load_workbook  # type: ignore[import-untyped]

    sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
    if sheet is None:
        return []
    return [
        ["" if cell is None else str(cell) for cell in row[:COLUMNS]]
        for row in sheet.iter_rows(values_only=True)
    ]


def _sheet(rows: list[list[str]], known_skus: frozenset[str]) -> CountSheet:
    sheet = CountSheet()
    per_bin: dict[str, bool] = {}  # sku → counted per bin on this sheet
    for number, cells in enumerate(rows, start=1):
        sku, raw, location, lot = _padded(cells)
        if not sku and not raw:
            continue  # blank lines are not count lines
        if number == 1 and sku.lower() in ("sku", "商品编码") and not _qty(raw):
            continue  # a header row
        sheet.lines += 1
        why = _problem(sku, raw, known_skus)
        if not why and per_bin.setdefault(sku, bool(location or lot)) != bool(location or lot):
            why = "mixed_count_modes"
        if why:
            sheet.problems.append((number, ",".join(cells).strip(), why))
        else:
            sheet.counts[sku, location, lot] = raw
    return sheet


def _padded(cells: list[str]) -> tuple[str, str, str, str]:
    """sku, qty, location, lot of a row ('' for a missing cell)."""
    sku, raw, location, lot = [*(cell.strip() for cell in cells[:COLUMNS]), "", "", "", ""][:4]
    return sku, raw, location, lot


def _problem(sku: str, raw: str, known_skus: frozenset[str]) -> str:
    if sku not in known_skus:
        return "unknown_sku"
    value = _qty(raw)
    if value is None:
        return "bad_qty"
    return "" if value >= 0 else "negative_qty"


def _qty(raw: str) -> Decimal | None:
    try:
        value = Decimal(raw.replace(",", ""))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None
