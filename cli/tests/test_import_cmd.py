"""`erp import`: uploads the file, prints every bad cell on 422, retries a busy service, and
saves templates (against a fake service: the real routes are tested in inventory)."""

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from erpctl import imports
from erpctl.main import app

runner = CliRunner()
URL = "http://inventory.test"


@pytest.fixture
def fake_service(monkeypatch: pytest.MonkeyPatch) -> Callable[..., list[httpx.Request]]:
    """Route the command's HTTP client to `answer` (a list of responses, one per request)."""

    def install(*answers: httpx.Response) -> list[httpx.Request]:
        seen: list[httpx.Request] = []
        pending = list(answers)

        def handle(request: httpx.Request) -> httpx.Response:
            request.read()
            seen.append(request)
            return pending.pop(0)

        client = partial(httpx.Client, transport=httpx.MockTransport(handle))
        monkeypatch.setattr(imports.httpx, "Client", client)
        monkeypatch.setattr(imports.time, "sleep", lambda _: None)
        return seen

    return install


def invoke(tmp_path: Path, *args: str) -> Any:
    common = ["--service-url", URL, "--token", "t", "--data-dir", str(tmp_path)]
    return runner.invoke(app, ["import", *args, *common])


def test_a_rejected_file_prints_every_bad_cell_and_exits_non_zero(
    tmp_path: Path, fake_service: Callable[..., list[httpx.Request]]
) -> None:
    cells = [{"row": 5000, "column": "reorder_point", "cell": "E5000", "reason": "not a number"}]
    seen = fake_service(httpx.Response(422, json={"error": "validation_error", "cells": cells}))
    file = tmp_path / "items.csv"
    file.write_text("sku,name\n", encoding="utf-8")
    result = invoke(tmp_path, "items", str(file))
    assert result.exit_code == 1
    assert "E5000" in result.output
    assert "not a number" in result.output
    assert b'name="file"; filename="items.csv"' in seen[0].content
    assert seen[0].headers["Authorization"] == "Bearer t"


def test_a_busy_service_is_retried_and_the_import_summarised(
    tmp_path: Path, fake_service: Callable[..., list[httpx.Request]]
) -> None:
    done = {"kind": "items", "rows": 3, "created": 2, "unchanged": 1, "replayed": False}
    busy = httpx.Response(503, json={"error": "read_model_lagging"}, headers={"Retry-After": "1"})
    seen = fake_service(busy, httpx.Response(201, json=done))
    file = tmp_path / "items.csv"
    file.write_bytes(b"sku\nA\n")
    result = invoke(tmp_path, "items", str(file))
    assert result.exit_code == 0, result.output
    assert "3 rows — 2 written, 1 already there unchanged" in result.output
    assert len(seen) == 2


def test_the_template_is_saved_in_the_format_of_the_file_name(
    tmp_path: Path, fake_service: Callable[..., list[httpx.Request]]
) -> None:
    seen = fake_service(httpx.Response(200, content=b"PK-xlsx"))
    target = tmp_path / "items.xlsx"
    result = invoke(tmp_path, "items", str(target), "--template")
    assert result.exit_code == 0, result.output
    assert target.read_bytes() == b"PK-xlsx"
    assert seen[0].url.params["format"] == "xlsx"


def test_an_unknown_kind_is_refused_before_anything_is_sent(tmp_path: Path) -> None:
    result = runner.invoke(app, ["import", "bogus", "x.csv", "--token", "t"])
    assert result.exit_code == 1
    assert "unknown import kind" in result.output
