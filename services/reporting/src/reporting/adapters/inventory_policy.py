"""Inventory's stock policy over HTTP (`POST /stock/{sku}/{warehouse}/policy` of the inventory
service), to apply a suggested reorder point. Reporting changes inventory only through its
public HTTP API, with the caller's own token — so the actor on inventory's `StockPolicyChanged`
is the person who applied the suggestion, and inventory decides whether they may."""

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx

from eventkit import DependencyUnavailable
from eventkit.settings import service_url


@dataclass(frozen=True, slots=True)
class InventoryAnswer:
    status_code: int
    body: dict[str, Any]


@dataclass(frozen=True)
class HttpInventoryPolicies:
    base_url: str
    timeout: float = 10.0

    async def set_policy(
        self,
        sku: str,
        warehouse_id: str,
        policy: dict[str, Any],
        authorization: str,
        idempotency_key: str | None,
    ) -> InventoryAnswer:
        """Inventory's answer, refusals (4xx) included; unreachable or 5xx → unavailable."""
        headers = {"Authorization": authorization}
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        path = f"/stock/{quote(sku, safe='')}/{quote(warehouse_id, safe='')}/policy"
        try:
            async with httpx.AsyncClient(base_url=self.base_url, timeout=self.timeout) as client:
                response = await client.post(path, json=policy, headers=headers)
            body = response.json()
        except (httpx.HTTPError, ValueError) as error:
            raise DependencyUnavailable(f"inventory: {error!r}") from error
        if response.status_code >= 500 or not isinstance(body, dict):
            raise DependencyUnavailable(f"inventory answered {response.status_code}")
        return InventoryAnswer(response.status_code, body)


def inventory_policies() -> HttpInventoryPolicies:
    return HttpInventoryPolicies(service_url("inventory"))
