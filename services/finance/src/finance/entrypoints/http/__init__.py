"""The finance HTTP API (architecture §8)."""

from fastapi import APIRouter

from finance.entrypoints.http.bank import router as bank_router
from finance.entrypoints.http.books import router as books_router
from finance.entrypoints.http.imports import router as imports_router
from finance.entrypoints.http.ledger import router as ledger_router
from finance.entrypoints.http.payables import router as payables_router
from finance.entrypoints.http.periods import router as periods_router
from finance.entrypoints.http.receivables import router as receivables_router


def routers() -> list[APIRouter]:
    return [
        ledger_router,
        payables_router,
        receivables_router,
        periods_router,
        bank_router,
        books_router,
        imports_router,
    ]
