"""Session fixtures shared by every test folder: real PostgreSQL and a real Kafka broker.

See `eventkit.testing.infrastructure` for how they are found or started.
"""

import os
import uuid
from collections.abc import AsyncIterator, Iterator

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from eventkit.db import create_engine
from eventkit.testing.databases import create_test_database, drop_test_database, prepare_template
from eventkit.testing.infrastructure import Infrastructure, started_infrastructure
from eventkit.testing.kafka import create_service_topics

# pytest-xdist's workers inherit COLUMNS=80 / LINES=24 from execnet. A rich Console created
# while COLUMNS is set keeps that width for good (the CLI's shared console is created at
# import), and the CLI tests' own COLUMNS=250 would no longer apply: tables truncate.
for _size in ("COLUMNS", "LINES"):
    os.environ.pop(_size, None)


@pytest.fixture(scope="session")
def infra() -> Iterator[Infrastructure]:
    with started_infrastructure() as found:
        yield found


@pytest.fixture(scope="session")
async def template_ready(infra: Infrastructure) -> bool:
    await prepare_template(infra.database_server_url)
    return True


@pytest.fixture
async def database_url(
    infra: Infrastructure,
    template_ready: bool,  # noqa: ARG001 - requested so the template exists first
) -> AsyncIterator[str]:
    url = await create_test_database(infra.database_server_url)
    yield url
    await drop_test_database(infra.database_server_url, url)


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    eng = create_engine(database_url, pool_size=20)
    yield eng
    await eng.dispose()


@pytest.fixture
async def service_name(infra: Infrastructure) -> str:
    """A unique service name with its own `erp.<name>.events` / `.dlq` topics."""
    name = f"svc{uuid.uuid4().hex[:8]}"
    await create_service_topics(infra.kafka_bootstrap_servers, name)
    return name
