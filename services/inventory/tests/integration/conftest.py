from collections.abc import AsyncIterator

import pytest

from eventkit.testing.infrastructure import Infrastructure

from .support import InventoryUnderTest, running_inventory


@pytest.fixture
async def inventory(database_url: str, infra: Infrastructure) -> AsyncIterator[InventoryUnderTest]:
    async with running_inventory(database_url, infra.kafka_bootstrap_servers) as service:
        yield service
