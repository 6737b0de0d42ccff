"""The inventory HTTP API (architecture §8)."""

from fastapi import APIRouter

from inventory.entrypoints.http.catalogue import router as catalogue_router
from inventory.entrypoints.http.counting import router as counting_router
from inventory.entrypoints.http.documents import router as documents_router
from inventory.entrypoints.http.imports import router as imports_router
from inventory.entrypoints.http.master_data import router as master_data_router
from inventory.entrypoints.http.queries import router as queries_router
from inventory.entrypoints.http.storage import router as storage_router
from inventory.entrypoints.http.transfer_reads import router as transfer_reads_router


def routers() -> list[APIRouter]:
    return [
        master_data_router,
        documents_router,
        counting_router,
        storage_router,
        queries_router,
        catalogue_router,
        transfer_reads_router,
        imports_router,
    ]
