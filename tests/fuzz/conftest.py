"""Property-based fuzzing of each service's OpenAPI document with schemathesis.

Each service runs in-process with `running_service` (its real database, broker, relay and
consumers) on the test's event loop. Schemathesis sends its requests through its own ASGI
client, which runs on a thread and event loop of its own; `bridge` hands every request over to
the test's loop, where the service's connections live, exactly as received (raw path, query
string, headers and body bytes). Because schemathesis only sees the bridge, its checks that
re-send a request (`ignored_auth` probes without and with a wrong token) reach the same service.

Checks: `not_a_server_error` (never a 5xx), `negative_data_rejection` (a request that breaks
the documented schema gets a 4xx) and `ignored_auth` (an operation that declares the bearer
token refuses requests without it or with a wrong one). Then a deterministic hostile pass:
in one valid request per operation, every path, query and body value in turn is replaced by
what random generation finds only by luck (a NUL, a date in year 1 or 9999, 1e30), and each
must be refused with a 422 naming that field. Afterwards every projection of the service must
be able to apply every event the service accepted.

Runs are reproducible (derandomized) and leave no Hypothesis example database behind.
"""

import asyncio
import os
import re
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, MutableMapping
from typing import Any

import httpx
import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase
from schemathesis.checks import not_a_server_error
from schemathesis.core import NOT_SET
from schemathesis.core.result import Err
from schemathesis.specs.openapi.checks import ignored_auth, negative_data_rejection

from eventkit.projections.runner import ProjectionRunner
from eventkit.runtime import ServiceBlueprint, ServiceRuntime
from eventkit.testing.databases import create_test_database, drop_test_database
from eventkit.testing.infrastructure import Infrastructure
from eventkit.testing.service import ServiceUnderTest, eventually, running_service

ADMIN = "fuzz-admin-token"
CHECKS = [not_a_server_error, negative_data_rejection, ignored_auth]
#: Examples per operation and generation mode (positive, negative). Small enough for CI
#: (tests/fuzz < 3 min on 2 cores); raise with ERP_FUZZ_EXAMPLES for a deeper local run.
MAX_EXAMPLES = int(os.environ.get("ERP_FUZZ_EXAMPLES", "20"))
#: schemathesis' default refusals, and 413 (eventkit.http.limits).
_CODES = (400, 401, 403, 404, 405, 406, 409, 413, 415, 422, 428, 429)
REFUSALS = [*(str(code) for code in _CODES), "5xx"]
MODES = (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE)

Operation = schemathesis.APIOperation[Any, Any, Any, Any]
Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


@pytest.fixture
async def fuzz_database(
    infra: Infrastructure,
    template_ready: bool,  # requested so the template exists first
) -> AsyncIterator[str]:
    url = await create_test_database(infra.database_server_url)
    yield url
    await drop_test_database(infra.database_server_url, url)


def bridge(client: httpx.AsyncClient, loop: asyncio.AbstractEventLoop) -> ASGIApp:
    """An ASGI app that forwards each HTTP request, byte for byte, to `client` on `loop`."""

    async def forward(method: str, target: bytes, headers: Any, body: bytes) -> httpx.Response:
        url = client.base_url.copy_with(raw_path=target)
        return await client.send(httpx.Request(method, url, headers=headers, content=body))

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return  # no lifespan here: the service already runs on the test's loop
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body", False):
                break
        query = scope["query_string"]
        target = scope["raw_path"] + (b"?" + query if query else b"")
        sent = forward(scope["method"], target, list(scope["headers"]), body)
        try:
            response = await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(sent, loop))
        except Exception as error:  # noqa: BLE001 - an unhandled error is a 500, as under uvicorn
            status, headers, content = 500, [], f"{type(error).__name__}: {error}".encode()
        else:
            status, headers, content = response.status_code, response.headers.raw, response.content
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": content})

    return app


class Fuzzer:
    """Every operation of an app's OpenAPI document, with positive and negative data."""

    def __init__(self, app: ASGIApp) -> None:
        config = schemathesis.Config.from_dict(
            {
                "auth": {"openapi": {"HTTPBearer": {"bearer": ADMIN}}},
                # A body over its size limit is refused before it is read: 413 is a refusal.
                "checks": {"negative_data_rejection": {"expected-statuses": REFUSALS}},
            }
        )
        self.schema = schemathesis.openapi.from_asgi("/openapi.json", app, config=config)
        self.statuses: Counter[int] = Counter()

    def run(self) -> list[str]:
        """One report per failing operation and mode."""
        failures = []
        for result in self.schema.get_all_operations():
            if isinstance(result, Err):
                failures.append(f"invalid operation in the OpenAPI document: {result.err()}")
                continue
            operation = result.ok()
            for mode in MODES:
                error = self.fuzz(operation, mode)
                if error is not None:
                    failures.append(f"{operation.label} [{mode.value}]\n{error}")
            failures += self.hostile(operation)
        return failures

    def hostile(self, operation: Operation) -> list[str]:
        """Deterministic hostile values in every field of a valid request (what random
        generation finds only by luck): each must be refused with 422 at that field."""
        config = self.schema.config.generation_for(operation=operation)
        positive = [schemathesis.GenerationMode.POSITIVE]
        cases = self.schema.iter_coverage_cases(
            operation, generation_modes=positive, generation_config=config
        )
        valid = next(iter(cases), None)  # the first covers every property
        if valid is None:
            return []
        failures = []
        for loc, case in hostile_variants(self.schema, operation, valid):
            response = case.call(headers={"Authorization": f"Bearer {ADMIN}"})
            self.statuses[response.status_code] += 1
            if not refused_at(response, loc):
                failures.append(
                    f"{operation.label} [hostile {loc}]: {response.status_code} "
                    f"{response.text[:300]}\n{case.as_curl_command()}"
                )
        return failures

    def fuzz(self, operation: Operation, mode: schemathesis.GenerationMode) -> str | None:
        # Requests without the token are the `ignored_auth` check's job; as negative cases
        # they would only spend the budget on 401s.
        cases = operation.as_strategy(generation_mode=mode).filter(
            lambda case: not self.schema.is_security_param_negated(case)
        )

        @hypothesis.settings(
            max_examples=MAX_EXAMPLES,
            derandomize=True,  # the same cases every run: a failure is reproducible
            database=None,  # no .hypothesis/ example database in the repository
            deadline=None,
            phases=[Phase.explicit, Phase.generate, Phase.shrink],
            suppress_health_check=list(HealthCheck),
            report_multiple_bugs=False,
            print_blob=False,
        )
        @hypothesis.given(case=cases)
        def fuzz_operation(case: schemathesis.Case[Operation]) -> None:
            response = case.call_and_validate(checks=CHECKS)
            self.statuses[response.status_code] += 1

        try:
            fuzz_operation()
        except hypothesis.errors.Unsatisfiable:
            return None  # nothing to negate: the operation takes no parameters and no body
        except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001 - collected, reported
            return str(error)
        return None


#: In place of a text value: a NUL, which PostgreSQL cannot store.
HOSTILE_TEXT = "x\x00y"
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_MOMENT = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T")


def hostile_values(value: object) -> list[object]:
    """What a hostile client sends instead of a valid `value` (kept to what is invalid for
    any field that value could belong to)."""
    if isinstance(value, bool) or value is None:
        return []
    if isinstance(value, int | float):
        return [1e30]  # beyond every quantity, amount, day count and limit
    if not isinstance(value, str):
        return []
    if _DATE.match(value):
        return [HOSTILE_TEXT, "0001-01-01", "9999-12-31"]
    if _MOMENT.match(value):  # years 1 and 9999 overflow when converted to UTC
        return [HOSTILE_TEXT, "0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00"]
    return [HOSTILE_TEXT]


def leaves(value: object, path: tuple[str | int, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """(path, value) of every scalar in a JSON value (a list's first item stands for all)."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, (*path, key))
    elif isinstance(value, list):
        if value:
            yield from leaves(value[0], (*path, 0))
    else:
        yield path, value


def replaced(value: Any, path: tuple[Any, ...], new: object) -> Any:
    if not path:
        return new
    copy = dict(value) if isinstance(value, dict) else list(value)
    copy[path[0]] = replaced(value[path[0]], path[1:], new)
    return copy


def hostile_variants(
    schema: schemathesis.BaseSchema, operation: Operation, valid: schemathesis.Case[Operation]
) -> Iterator[tuple[list[Any], schemathesis.Case[Operation]]]:
    """(where the refusal belongs, the request) for each hostile value in `valid`."""
    path: dict[str, Any] = dict(valid.path_parameters or {})
    query: dict[str, Any] = dict(valid.query or {})
    body: Any = valid.body if isinstance(valid.body, dict | list | str) else NOT_SET

    def case(path: dict[str, Any] = path, query: dict[str, Any] = query, body: Any = body) -> Any:
        return schema.make_case(
            operation=operation,
            path_parameters=path,
            query=query,
            body=body,
            media_type=valid.media_type,
        )

    for name, value in path.items():
        for bad in hostile_values(value):
            yield ["path", name], case(path={**path, name: bad})
    for name, value in query.items():
        for bad in hostile_values(value):
            yield ["query", name], case(query={**query, name: bad})
    if body is not NOT_SET:
        for where, value in leaves(body):
            for bad in hostile_values(value):
                yield ["body", *where], case(body=replaced(body, where, bad))


def refused_at(response: schemathesis.Response, loc: list[Any]) -> bool:
    """A 422 in the §8 shape naming `loc` (or a field within it)."""
    if response.status_code != 422:
        return False
    details = response.json().get("details", [])
    return any(detail.get("loc", [])[: len(loc)] == loc for detail in details)


async def read_models_failures(blueprint: ServiceBlueprint, runtime: ServiceRuntime) -> list[str]:
    """Whatever the service accepted, its read models must be able to take: a projection that
    cannot apply an accepted event is stuck for good (it retries the same batch forever)."""
    failures = []
    for projection in blueprint.projections:
        runner = ProjectionRunner(runtime.engine, projection, blueprint.upcasters)
        try:
            await runner.catch_up()
        except Exception as error:  # noqa: BLE001 - reported with the projection's name
            failures.append(f"projection {projection.name}: {type(error).__name__}: {error}")
    return failures


async def fuzz_service(
    blueprint: ServiceBlueprint, database_url: str, infra: Infrastructure
) -> tuple[list[str], Counter[int]]:
    """Failures found, and the statuses answered (to show the fuzzing got past auth)."""
    async with running_service(
        blueprint, database_url, infra.kafka_bootstrap_servers, admin_token=ADMIN, tokens=""
    ) as service:
        await until_healthy(service)
        app = bridge(service.client, asyncio.get_running_loop())
        # On a worker thread: the test's loop must stay free to serve the bridged requests.
        failures, statuses = await asyncio.to_thread(fuzz_app, app)
        failures += await read_models_failures(blueprint, service.runtime)
    return failures, statuses


async def until_healthy(service: ServiceUnderTest) -> None:
    """Fuzz a service that is fully up: its consumers join their group a moment after start-up
    (`/health` answers 503 until then). A 503 later on is a finding."""

    async def healthy() -> bool:
        consumers = service.runtime.consumers
        joined = consumers is None or consumers.running
        return joined and (await service.client.get("/health")).status_code == 200

    if not await eventually(healthy, timeout=60):
        pytest.fail(f"the service never got healthy: {(await service.client.get('/health')).text}")


def fuzz_app(app: ASGIApp) -> tuple[list[str], Counter[int]]:
    fuzzer = Fuzzer(app)
    return fuzzer.run(), fuzzer.statuses
