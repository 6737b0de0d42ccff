from collections.abc import AsyncIterator

import pytest

from eventkit.testing.infrastructure import Infrastructure

from .support import SalesUnderTest, running_sales


@pytest.fixture
async def sales(database_url: str, infra: Infrastructure) -> AsyncIterator[SalesUnderTest]:
    async with running_sales(database_url, infra.kafka_bootstrap_servers) as service:
        yield service
