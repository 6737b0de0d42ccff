"""Drive one GET through an ASGI app chunk by chunk, sampling this process's resident memory
while the body is sent — how an export is shown to stream (httpx's ASGI transport would collect
the whole body first). Used by reporting's export test and benchmark."""

import asyncio
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: Resident memory is sampled every this many body chunks.
SAMPLE_EVERY = 50


def rss() -> int:
    """Resident memory now (`statm`: pages; the process peak would include earlier work)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * 4096


@dataclass(frozen=True, slots=True)
class Streamed:
    status: int
    bytes: int
    chunks: int
    lines: int
    seconds: float
    #: Resident memory when the request began, and the highest sampled while it was sent.
    rss_start: int
    rss_peak: int


async def stream_get(
    app: Any, path: str, query: bytes, headers: list[tuple[bytes, bytes]]
) -> Streamed:
    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query,
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 1),
        "server": ("testserver", 80),
        "state": {},
    }
    sent = {"bytes": 0, "chunks": 0, "lines": 0, "status": 0}
    start = peak = rss()
    requested, finished = False, asyncio.Event()

    async def receive() -> dict[str, Any]:
        # The request once; then nothing until the response is complete (Starlette listens
        # for a disconnect while it streams).
        nonlocal requested
        if not requested:
            requested = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await finished.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        nonlocal peak
        if message["type"] == "http.response.start":
            sent["status"] = message["status"]
        elif message["type"] == "http.response.body":
            body = message.get("body", b"")
            sent["bytes"] += len(body)
            sent["lines"] += body.count(b"\n")
            sent["chunks"] += 1
            if not message.get("more_body", False):
                finished.set()
            if sent["chunks"] % SAMPLE_EVERY == 0:
                peak = max(peak, rss())

    began = time.perf_counter()
    await app(scope, receive, send)
    seconds = time.perf_counter() - began
    return Streamed(
        sent["status"],
        sent["bytes"],
        sent["chunks"],
        sent["lines"],
        seconds,
        start,
        max(peak, rss()),
    )
