from collections.abc import AsyncIterator

import pytest

from eventkit.testing.infrastructure import Infrastructure

from .support import FinanceUnderTest, running_finance


@pytest.fixture
async def finance(database_url: str, infra: Infrastructure) -> AsyncIterator[FinanceUnderTest]:
    async with running_finance(database_url, infra.kafka_bootstrap_servers) as service:
        yield service
