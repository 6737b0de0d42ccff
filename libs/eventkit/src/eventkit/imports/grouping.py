"""Files where several rows make one record: a supplier with its price list is one row per
price, the supplier's own columns repeated. The repeated columns must agree."""

from collections.abc import Sequence

from eventkit.imports.validation import CellError, ImportRow


def grouped(
    rows: Sequence[ImportRow], by: str, same: Sequence[str]
) -> tuple[dict[str, list[ImportRow]], list[CellError]]:
    """Rows by their `by` value (in file order), and an error for every later row whose
    `same` columns differ from the first row of its group."""
    groups: dict[str, list[ImportRow]] = {}
    errors: list[CellError] = []
    for row in rows:
        group = groups.setdefault(row[by], [])
        if group:
            first = group[0]
            errors.extend(
                row.error(column, f"differs from row {first.row} of the same {by}")
                for column in same
                if row[column] != first[column]
            )
        group.append(row)
    return groups, errors


def paired(row: ImportRow, a: str, b: str) -> CellError | None:
    """`a` and `b` are given together or not at all (a sku and its price)."""
    if (row[a] is None) == (row[b] is None):
        return None
    missing = b if row[b] is None else a
    return row.error(missing, f"is required with {a if missing == b else b}")
