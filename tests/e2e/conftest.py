"""Cross-service tests: several real services in-process, each with its own database, sharing
one topic namespace on the real broker."""

import contextlib
from collections.abc import AsyncIterator
from typing import Any

import pytest

from eventkit.runtime import ServiceBlueprint
from eventkit.testing.databases import create_test_database, drop_test_database
from eventkit.testing.infrastructure import Infrastructure
from eventkit.testing.service import ServiceUnderTest, new_namespace, running_service

ADMIN = "admin-token"
HEADERS = {"Authorization": f"Bearer {ADMIN}"}


@pytest.fixture
async def three_databases(
    infra: Infrastructure,
    template_ready: bool,
) -> AsyncIterator[list[str]]:
    urls = [await create_test_database(infra.database_server_url) for _ in range(3)]
    yield urls
    for url in urls:
        await drop_test_database(infra.database_server_url, url)


@pytest.fixture
async def two_databases(
    infra: Infrastructure,
    template_ready: bool,
) -> AsyncIterator[list[str]]:
    urls = [await create_test_database(infra.database_server_url) for _ in range(2)]
    yield urls
    for url in urls:
        await drop_test_database(infra.database_server_url, url)


async def post(service: ServiceUnderTest, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = await service.client.post(path, json=body, headers=HEADERS)
    assert response.status_code in (200, 201), f"{path}: {response.text}"
    result: dict[str, Any] = response.json()
    return result


async def get(service: ServiceUnderTest, path: str, **params: str) -> Any:
    response = await service.client.get(path, params=params, headers=HEADERS)
    assert response.status_code == 200, f"{path}: {response.text}"
    return response.json()


@contextlib.asynccontextmanager
async def services_in_one_namespace(
    infra: Infrastructure, databases: list[str], *blueprints: ServiceBlueprint
) -> AsyncIterator[list[ServiceUnderTest]]:
    """The services running in-process, each on its own database, in one fresh topic
    namespace on the real broker (admin token `ADMIN`)."""
    namespace, bootstrap = new_namespace(), infra.kafka_bootstrap_servers
    async with contextlib.AsyncExitStack() as stack:
        yield [
            await stack.enter_async_context(
                running_service(
                    blueprint, url, bootstrap, admin_token=ADMIN, tokens="", namespace=namespace
                )
            )
            for blueprint, url in zip(blueprints, databases, strict=True)
        ]
