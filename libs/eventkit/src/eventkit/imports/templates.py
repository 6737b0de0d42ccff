"""The template a clerk fills in: the header row (中文(english), which the importer accepts)
and one example row, as CSV (UTF-8 with BOM, so Excel opens the Chinese right) or XLSX."""

import csv
import io

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.comments import Comment  # type: ignore[import-untyped]

from eventkit.imports.validation import ImportSpec

TEMPLATE_FORMATS = ("csv", "xlsx")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def template_header(spec: ImportSpec) -> list[str]:
    return [f"{column.zh}({column.name})" for column in spec.columns]


def template_example(spec: ImportSpec) -> list[str]:
    return [column.example for column in spec.columns]


def template_csv(spec: ImportSpec) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(template_header(spec))
    writer.writerow(template_example(spec))
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


def template_xlsx(spec: ImportSpec) -> bytes:
    book = Workbook()
    sheet = book.active
    if sheet is None:  # pragma: no cover - a new workbook always has its sheet
        raise RuntimeError("openpyxl made a workbook without a sheet")
    sheet.title = spec.kind
    sheet.append(template_header(spec))
    sheet.append(template_example(spec))
    for index, column in enumerate(spec.columns, start=1):
        cell = sheet.cell(row=1, column=index)
        note = _note(column.required, column.description, column.choices)
        if note:
            cell.comment = Comment(note, "erp")
        sheet.column_dimensions[cell.column_letter].width = max(12, len(str(cell.value)) + 4)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template(spec: ImportSpec, fmt: str) -> bytes:
    if fmt == "xlsx":
        return template_xlsx(spec)
    return template_csv(spec)


def _note(required: bool, description: str, choices: tuple[str, ...]) -> str:
    parts = ["必填 required" if required else "选填 optional"]
    if description:
        parts.append(description)
    if choices:
        parts.append(" / ".join(choices))
    return "\n".join(parts)
