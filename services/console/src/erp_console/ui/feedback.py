"""A service's answer in plain words: 422 field errors next to their fields, 409 refusals
explained by their stable code (with the figures the service sent), 503 as "try again"."""

from decimal import Decimal, InvalidOperation
from typing import Any

from erp_console.adapters.services import ApiResult
from erp_console.ui.i18n import register, translate

register(
    {
        "refusal.credit_limit_exceeded": (
            "信用额度不足：超出 ¥{over}（额度 ¥{limit}，已占用 ¥{exposure}）",
            "Credit limit exceeded by ¥{over} (limit ¥{limit}, exposure ¥{exposure})",
        ),
        "refusal.insufficient_stock": ("库存不足", "Not enough stock"),
        "refusal.over_receipt": (
            "入库数量超过订单允许的数量",
            "More received than the order allows",
        ),
        "refusal.period_closed": ("会计期间已结账，不能再记账", "That accounting period is closed"),
        "refusal.invalid_state": (
            "单据当前状态不允许此操作",
            "The document's state does not allow this",
        ),
        "refusal.already_exists": ("编码已存在", "That code already exists"),
        "refusal.user_exists": ("用户名已存在", "That username is taken"),
        "refusal.last_admin": (
            "必须保留至少一个启用的管理员",
            "Keep at least one enabled administrator",
        ),
        "refusal.negative_stock_forbidden": ("不允许负库存", "Negative stock is not allowed"),
        "refusal.return_exceeds_shipped": (
            "退货数量超过已发货数量",
            "More returned than was shipped",
        ),
        "refusal.over_allocation": ("核销金额超过未付金额", "More allocated than is open"),
        "refusal.warehouse_mismatch": ("仓库与订单不一致", "Not the order's warehouse"),
        "refusal.generic": ("操作被拒绝：{message}", "Refused: {message}"),
    }
)


def money(value: Any) -> str:
    try:
        return f"{Decimal(str(value)):,.2f}"
    except (InvalidOperation, ValueError):
        return str(value)


def field_errors(result: ApiResult) -> dict[str, str]:
    """422 details as {field path: message}; the path drops the `body` prefix."""
    details = result.body.get("details", []) if isinstance(result.body, dict) else []
    errors: dict[str, str] = {}
    for detail in details if isinstance(details, list) else []:
        loc = [str(part) for part in detail.get("loc", []) if part != "body"]
        errors[".".join(loc) or "_"] = str(detail.get("msg", ""))
    return errors


#: Answers explained by their status alone.
_BY_STATUS = {401: "error.forbidden", 403: "error.forbidden", 404: "error.not_found"}


def explain(result: ApiResult, lang: str, service: str = "") -> str:
    """One sentence a clerk understands for a failed call."""
    body = result.body if isinstance(result.body, dict) else {}
    if result.status == 409:
        if result.error_code == "not_yet_known":
            return translate("error.not_yet_known", lang)
        return _refusal(result.error_code, body, lang)
    if result.status == 422:
        errors = field_errors(result)
        listed = "; ".join(f"{k}: {v}" for k, v in errors.items())
        return f"{translate('error.validation', lang)}: {listed}"
    if result.status == 503:
        return translate("error.unavailable", lang, service=body.get("service") or service)
    key = _BY_STATUS.get(result.status, "error.unexpected")
    return translate(key, lang, status=result.status)


def _refusal(code: str, body: dict[str, Any], lang: str) -> str:
    raw = body.get("details")
    details: dict[str, Any] = raw if isinstance(raw, dict) else {}
    if code == "credit_limit_exceeded":
        try:
            limit, exposure = (
                Decimal(str(details["credit_limit"])),
                Decimal(str(details["exposure"])),
            )
            over = exposure + Decimal(str(details["order_total"])) - limit
        except (KeyError, InvalidOperation):
            return translate("refusal.generic", lang, message=body.get("message", code))
        return translate(
            "refusal.credit_limit_exceeded",
            lang,
            over=money(over),
            limit=money(limit),
            exposure=money(exposure),
        )
    key = f"refusal.{code}"
    text = translate(key, lang)
    if text == key:
        return translate("refusal.generic", lang, message=body.get("message", code))
    return text
