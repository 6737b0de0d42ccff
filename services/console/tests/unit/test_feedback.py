"""Service answers in words a clerk understands."""

from erp_console.adapters.services import ApiResult
from erp_console.ui.feedback import explain, field_errors


def test_a_credit_refusal_says_by_how_much_the_limit_is_exceeded() -> None:
    body = {
        "error": "credit_limit_exceeded",
        "message": "…",
        "details": {"credit_limit": "1000.00", "exposure": "200.00", "order_total": "2034.00"},
    }
    text = explain(ApiResult(409, body), "zh")
    assert text.startswith("信用额度不足：超出 ¥1,234.00")
    assert "Credit limit exceeded by ¥1,234.00" in explain(ApiResult(409, body), "en")


def test_validation_errors_are_keyed_by_the_field_path_without_body() -> None:
    body = {
        "error": "validation_error",
        "details": [{"loc": ["body", "lines", 0, "qty"], "msg": "must be > 0"}],
    }
    assert field_errors(ApiResult(422, body)) == {"lines.0.qty": "must be > 0"}


def test_an_unreachable_service_is_named_and_an_unknown_refusal_keeps_its_message() -> None:
    down = ApiResult(503, {"error": "service_unavailable", "service": "sales"})
    assert "sales" in explain(down, "en")
    odd = ApiResult(409, {"error": "something_new", "message": "the reason"})
    assert explain(odd, "en") == "Refused: the reason"
