from collections.abc import AsyncIterator

import pytest

from eventkit.testing.infrastructure import Infrastructure

from .support import PurchasingUnderTest, running_purchasing


@pytest.fixture
async def purchasing(
    database_url: str, infra: Infrastructure
) -> AsyncIterator[PurchasingUnderTest]:
    async with running_purchasing(database_url, infra.kafka_bootstrap_servers) as service:
        yield service
