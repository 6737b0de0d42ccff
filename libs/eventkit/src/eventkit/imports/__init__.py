"""Data migration (数据迁移): reading CSV/XLSX uploads, validating a whole file against a
declarative column spec, templates, and the `/imports` routes (docs/import.md)."""

from eventkit.imports.columns import (
    Column,
    bool_column,
    date_column,
    decimal_column,
    enum_column,
    text_column,
)
from eventkit.imports.grouping import grouped, paired
from eventkit.imports.http import (
    ImportContext,
    ImportKind,
    ImportOutcome,
    import_router,
)
from eventkit.imports.reading import Table, UnreadableFile, read_table
from eventkit.imports.templates import template_csv, template_xlsx
from eventkit.imports.validation import CellError, FileRejected, ImportRow, ImportSpec, validate

__all__ = [
    "CellError",
    "Column",
    "FileRejected",
    "ImportContext",
    "ImportKind",
    "ImportOutcome",
    "ImportRow",
    "ImportSpec",
    "Table",
    "UnreadableFile",
    "bool_column",
    "date_column",
    "decimal_column",
    "enum_column",
    "grouped",
    "import_router",
    "paired",
    "read_table",
    "template_csv",
    "template_xlsx",
    "text_column",
    "validate",
]
