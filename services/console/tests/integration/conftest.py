from collections.abc import AsyncIterator

import pytest

from eventkit.testing.infrastructure import Infrastructure

from .support import ConsoleUnderTest, running_console


@pytest.fixture
async def console(
    database_url: str, infra: Infrastructure, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[ConsoleUnderTest]:
    monkeypatch.setenv("ERP_CONSOLE_ADMIN_PASSWORD", "first-admin-pw")
    async with running_console(database_url, infra.kafka_bootstrap_servers) as service:
        yield service
