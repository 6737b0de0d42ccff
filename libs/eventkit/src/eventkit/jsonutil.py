"""JSON for payloads and metadata: Decimal as string (never float), UUID and datetime as ISO."""

from typing import Any

import pydantic_core


def dumps(value: Any) -> str:
    # pydantic_core serialises Decimal as a string, which keeps money exact on the wire.
    return pydantic_core.to_json(value).decode()


def dumps_bytes(value: Any) -> bytes:
    return pydantic_core.to_json(value)
