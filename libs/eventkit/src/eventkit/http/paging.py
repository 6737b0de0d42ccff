"""Server-side paging and search for list endpoints, the same in every service.

`GET /things?limit=50&offset=100&q=abc`: rows in a stable order, at most `limit` of them,
skipping `offset`, filtered by `q` (a case-insensitive substring of the fields the endpoint
names). Without `limit` an endpoint answers every row, as it did before paging existed, so
scripts and `erp verify` are unchanged; the console always pages. A client learns whether a
next page exists by asking for `limit + 1` rows.
"""

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Query
from sqlalchemy import ColumnElement, Select, String, cast, or_

from eventkit.http.schemas import QueryText

#: The largest page one request may ask for.
MAX_LIMIT = 1000


@dataclass(frozen=True, slots=True)
class Page:
    limit: int | None = None
    offset: int = 0
    q: str | None = None

    def apply(self, query: Select[Any], *searched: ColumnElement[Any]) -> Select[Any]:
        """`query` (already ordered by a unique key) narrowed to this page and search."""
        if self.q and searched:
            pattern = f"%{_escape_like(self.q)}%"
            query = query.where(
                or_(*(cast(column, String).ilike(pattern, escape="\\") for column in searched))
            )
        if self.offset:
            query = query.offset(self.offset)
        if self.limit is not None:
            query = query.limit(self.limit)
        return query

    def slice(self, rows: list[Any]) -> list[Any]:
        """The page of a list already in memory (an endpoint that computes its rows)."""
        end = None if self.limit is None else self.offset + self.limit
        return rows[self.offset : end]


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def page(
    limit: Annotated[int | None, Query(ge=1, le=MAX_LIMIT, description="rows per page")] = None,
    offset: Annotated[int, Query(ge=0, le=10_000_000, description="rows to skip")] = 0,
    # Storable text only (no NUL or lone surrogates, ≤ 200 characters), like every filter: the
    # database cannot compare what it cannot store, and that must be a 422, not a 500.
    q: Annotated[QueryText | None, Query(description="case-insensitive search")] = None,
) -> Page:
    """Dependency: `page: Annotated[Page, Depends(page)]`."""
    return Page(limit, offset, q.strip() if q else None)
