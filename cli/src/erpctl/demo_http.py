"""How the demo talks to the services: POST with an Idempotency-Key (retried while the service
has not yet learned what it refers to), GET, and polling with a timeout and a clear error."""

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

#: How long the demo waits for an asynchronous step (a confirmation, an invoice, a PO that
#: inventory has not yet learned) before it gives up with a clear error.
WAIT_SECONDS = 60.0
POLL_INTERVAL = 0.1


class DemoStepTimeout(RuntimeError):
    """An asynchronous step of the demo did not happen in time."""


async def post(
    http: httpx.AsyncClient,
    path: str,
    body: dict[str, Any],
    *,
    key: str | None = None,
    allow_exists: bool = False,
    retry: tuple[str, ...] = (),
) -> dict[str, Any]:
    """POST once per key. 409 `not_yet_known` (the service has not yet consumed the event that
    introduces the order, PO, customer or sku), and the 409 codes in `retry` (a fact another
    service reports asynchronously), are retried until `WAIT_SECONDS`."""
    headers = {"Idempotency-Key": key} if key else {}
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        response = await http.post(path, json=body, headers=headers)
        error = _error_code(response)
        if response.status_code == 409 and (error == "not_yet_known" or error in retry):
            if time.monotonic() > deadline:
                raise DemoStepTimeout(f"POST {path}: still {error} after {WAIT_SECONDS} s")
            await asyncio.sleep(POLL_INTERVAL)
            continue
        if allow_exists and response.status_code == 409 and error == "already_exists":
            return {}
        if response.status_code >= 400:
            raise RuntimeError(f"POST {path} → {response.status_code}: {response.text}")
        result: dict[str, Any] = response.json()
        return result


async def get(http: httpx.AsyncClient, path: str, **params: str) -> Any:
    response = await http.get(path, params=params)
    if response.status_code >= 400:
        raise RuntimeError(f"GET {path} → {response.status_code}: {response.text}")
    return response.json()


async def wait_for(what: str, check: Callable[[], Awaitable[bool]]) -> None:
    """Poll `check` until it holds; `DemoStepTimeout` naming `what` after `WAIT_SECONDS`."""
    deadline = time.monotonic() + WAIT_SECONDS
    while not await check():
        if time.monotonic() > deadline:
            raise DemoStepTimeout(f"demo: {what} did not happen within {WAIT_SECONDS:.0f} s")
        await asyncio.sleep(POLL_INTERVAL)


def _error_code(response: httpx.Response) -> str | None:
    if response.status_code != 409:
        return None
    try:
        body = response.json()
    except ValueError:
        return None
    code = body.get("error") if isinstance(body, dict) else None
    return str(code) if code else None
