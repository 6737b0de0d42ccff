"""Every label of the console, in one table: key → (中文, English). zh-CN is the default; a
person switches with the 中文/EN button (a cookie). A missing key shows itself, so a test that
looks for a label finds the gap."""

from collections.abc import Mapping
from typing import Final

LANGUAGES: Final = ("zh", "en")
DEFAULT_LANGUAGE: Final = "zh"

_TEXT: dict[str, tuple[str, str]] = {}


def register(entries: Mapping[str, tuple[str, str]]) -> None:
    """Screens add their labels at import; one key has one meaning across the console."""
    for key, pair in entries.items():
        if key in _TEXT and _TEXT[key] != pair:
            raise ValueError(f"label {key!r} is registered twice with different text")
        _TEXT[key] = pair


def translate(key: str, lang: str, **values: object) -> str:
    pair = _TEXT.get(key)
    if pair is None:
        return key
    text = pair[0] if lang == "zh" else pair[1]
    return text.format(**values) if values else text


def keys() -> frozenset[str]:
    return frozenset(_TEXT)


register(
    {
        "app.title": ("进销存工作台", "ERP Console"),
        "nav.dashboard": ("工作台", "Dashboard"),
        "nav.stock": ("商品/库存", "Items & stock"),
        "nav.purchasing": ("采购", "Purchasing"),
        "nav.sales": ("销售", "Sales"),
        "nav.finance": ("财务", "Finance"),
        "nav.reports": ("报表", "Reports"),
        "nav.stocktake": ("盘点", "Stocktake"),
        "nav.users": ("用户管理", "Users"),
        "nav.guide": ("入门指南", "Getting started"),
        "action.logout": ("退出登录", "Sign out"),
        "action.help": ("帮助", "Help"),
        "action.submit": ("提交", "Submit"),
        "action.search": ("搜索", "Search"),
        "action.refresh": ("刷新", "Refresh"),
        "action.cancel": ("取消", "Cancel"),
        "action.download_csv": ("下载 CSV", "Download CSV"),
        "action.download_xlsx": ("下载 Excel", "Download XLSX"),
        "login.title": ("登录进销存工作台", "Sign in to the ERP console"),
        "login.username": ("用户名", "Username"),
        "login.password": ("密码", "Password"),
        "login.submit": ("登录", "Sign in"),
        "login.bad_credentials": ("用户名或密码错误", "Wrong username or password"),
        "login.too_many_attempts": (
            "登录失败次数过多，请 15 分钟后再试",
            "Too many failed attempts; try again in 15 minutes",
        ),
        "login.expired": ("表单已过期，请重新登录", "The form expired; please sign in again"),
        "common.loading": ("加载中…", "Loading…"),
        "common.no_rows": ("没有数据", "No rows"),
        "common.page": ("第 {page} 页", "Page {page}"),
        "common.previous": ("上一页", "Previous"),
        "common.next": ("下一页", "Next"),
        "common.saved": ("已保存", "Saved"),
        "common.read_only": (
            "您的角色只能查看，不能提交单据",
            "Your role can view but not submit documents",
        ),
        "error.validation": ("请检查输入", "Please check the input"),
        "error.unavailable": (
            "{service} 服务暂时不可用，请稍后重试",
            "The {service} service is unavailable; please try again shortly",
        ),
        "error.forbidden": ("您的角色无权执行此操作", "Your role may not do this"),
        "error.not_found": ("找不到该记录", "Not found"),
        "error.unexpected": ("操作未完成（{status}）", "The action did not complete ({status})"),
        "error.not_yet_known": (
            "相关数据还在同步中，请稍后重试",
            "Related data is still arriving; please retry in a moment",
        ),
    }
)
