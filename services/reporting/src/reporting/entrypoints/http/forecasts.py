"""`POST /forecasts/{sku}/{warehouse_id}/apply-reorder-point`: the forecast's suggested reorder
point and order quantity become inventory's stock policy for that sku and warehouse — the
seed's loop "history → strategy → automatic replenishment": inventory raises its reorder alert
at the new line and purchasing replenishes from it.

The suggestion is computed now, from the same read models and parameters as
`GET /reports/forecast`, so what is applied is what the report shows for the same request. It
is sent to inventory with the caller's token and Idempotency-Key: inventory decides whether the
caller may change its policy (role `inventory`) and records the change under their name.
"""

from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import Field

from eventkit import BusinessRuleViolation
from eventkit.http.errors import jsonable
from eventkit.http.schemas import Body, BusinessDate, Sku, WarehouseId
from reporting.adapters.forecast_queries import plans
from reporting.adapters.inventory_policy import inventory_policies
from reporting.application.reports import build_request
from reporting.domain.forecasting import DemandPlan, StockPolicyParameters
from reporting.entrypoints.http.reports import Reader

router = APIRouter(tags=["forecast"])


class ApplyReorderPointIn(Body):
    """The forecast's parameters (`GET /reports/forecast` has the same ones and defaults)."""

    to: BusinessDate | None = None
    weeks: Annotated[int, Field(ge=1, le=520)] | None = None
    service_level: Annotated[float, Field(ge=0.5, le=0.9999)] | None = None
    lead_time_weeks: Annotated[int, Field(ge=0, le=104)] | None = None
    review_weeks: Annotated[int, Field(ge=0, le=104)] | None = None
    season_weeks: Annotated[int, Field(ge=2, le=104)] | None = None


@router.post("/forecasts/{sku}/{warehouse_id}/apply-reorder-point", response_model=None)
async def apply_reorder_point(
    sku: Sku, warehouse_id: WarehouseId, body: ApplyReorderPointIn, request: Request, _: Reader
) -> JSONResponse | dict[str, Any]:
    """`{applied: <inventory's answer>, suggestion: {...}}`. No demand history for the pair →
    409 `no_demand_history`, nothing sent. Inventory's refusals come back as they are (403 without
    inventory's role, 404, 422 — e.g. a max stock below the new point), with `source: inventory`;
    inventory unreachable → 503 with Retry-After."""
    filters: dict[str, object] = {
        **body.model_dump(exclude_none=True),
        "sku": sku,
        "warehouse": warehouse_id,
    }
    report = build_request("forecast", filters, None, None, None, 0)
    async with request.app.state.runtime.engine.connect() as conn:
        params, planned = await plans(conn, report)
    plan = planned.get((sku, warehouse_id))
    if plan is None or plan.weeks == 0:
        raise BusinessRuleViolation(
            "no_demand_history",
            f"no weekly demand of {sku} in {warehouse_id} to forecast from",
            sku=sku,
            warehouse_id=warehouse_id,
        )
    answer = await inventory_policies().set_policy(
        sku,
        warehouse_id,
        policy_of(plan, params, report.as_of),
        request.headers.get("Authorization", ""),
        request.headers.get("Idempotency-Key"),
    )
    if answer.status_code >= 400:
        return JSONResponse(answer.body | {"source": "inventory"}, status_code=answer.status_code)
    result: dict[str, Any] = jsonable(
        {"applied": answer.body, "suggestion": suggestion_of(plan, params)}
    )
    return result


def policy_of(plan: DemandPlan, params: StockPolicyParameters, as_of: date) -> dict[str, Any]:
    """Reorder at the forecast's reorder point, and order what brings the stock from there up to
    the order-up-to level (lead time + review weeks of demand + safety stock)."""
    policy: dict[str, Any] = {
        "reorder_point": str(plan.reorder_point),
        "reason": (
            f"forecast {as_of.isoformat()}: {plan.method}, {plan.forecast_weekly}/week over "
            f"{plan.weeks} weeks; service level {params.service_level:.2%}, lead time "
            f"{params.lead_time_weeks} w, review {params.review_weeks} w"
        ),
    }
    order_qty = plan.order_up_to - plan.reorder_point
    if order_qty > Decimal(0):
        policy["reorder_qty"] = str(order_qty)
    return policy


def suggestion_of(plan: DemandPlan, params: StockPolicyParameters) -> dict[str, object]:
    return {
        "method": plan.method,
        "weeks_of_history": plan.weeks,
        "forecast_weekly": plan.forecast_weekly,
        "service_level": params.service_level,
        "lead_time_weeks": params.lead_time_weeks,
        "review_weeks": params.review_weeks,
        "safety_stock": plan.safety_stock,
        "reorder_point": plan.reorder_point,
        "order_up_to": plan.order_up_to,
    }
