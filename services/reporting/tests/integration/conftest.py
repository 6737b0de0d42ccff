from collections.abc import AsyncIterator

import pytest

from eventkit.testing.infrastructure import Infrastructure

from .support import ReportingUnderTest, running_reporting


@pytest.fixture
async def reporting(database_url: str, infra: Infrastructure) -> AsyncIterator[ReportingUnderTest]:
    async with running_reporting(database_url, infra.kafka_bootstrap_servers) as service:
        yield service
