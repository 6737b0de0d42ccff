"""The inventory HTTP API (architecture §8)."""

from fastapi import APIRouter

from inventory.entrypoints.http import counting, documents, master_data, queries


def routers() -> list[APIRouter]:
    return [master_data.router, documents.router, counting.router, queries.router]
