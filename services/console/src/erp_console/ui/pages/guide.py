"""入门指南 getting started: a walk through the demo company, step by step — who the demo
accounts are, procure-to-pay, order-to-cash, stocktake and reports; each step names the screen
(a link) and the role that does it. Both languages follow the 中文/EN switch."""

from nicegui import ui

from erp_console.ui.i18n import register
from erp_console.ui.shell import Screen, screen

#: (section, [(zh step, en step, screen path, role)]) — the role is the service role name.
SECTIONS: tuple[tuple[str, tuple[tuple[str, str, str, str], ...]], ...] = (
    (
        "p2p",
        (
            (
                "在工作台或库存页查看库存预警（低于再订货点）",
                "See the stock alert (below the reorder point) on the dashboard or stock screen",
                "/stock",
                "inventory",
            ),
            (
                "根据预警生成请购单",
                "Raise a requisition from the alert",
                "/purchasing",
                "purchasing",
            ),
            (
                "把请购转为采购订单，选择供应商和价格",
                "Turn the requisition into a purchase order with supplier and price",
                "/purchasing/orders",
                "purchasing",
            ),
            (
                "金额超过审批线的订单由采购审批人批准",
                "An approver approves an order above the approval threshold",
                "/purchasing/orders",
                "approver",
            ),
            (
                "到货入库（超收容差内接受；按移动加权平均更新成本）",
                "Receive the goods (over-receipt tolerance; moving weighted average cost)",
                "/purchasing/orders",
                "inventory",
            ),
            (
                "录入供应商发票：三单匹配（订单、入库、发票）不一致时挂起",
                "Enter the supplier invoice: a three-way mismatch puts it on hold",
                "/finance",
                "finance",
            ),
            ("付款并核销应付", "Pay and allocate the payable", "/finance/payments", "finance"),
        ),
    ),
    (
        "o2c",
        (
            (
                "登记客户（信用额度、账期）",
                "Register the customer (credit limit, payment terms)",
                "/sales/customers",
                "sales",
            ),
            (
                "录入销售订单：信用检查通过才能下单",
                "Enter the sales order: it passes the credit check or is refused",
                "/sales",
                "sales",
            ),
            (
                "仓库预留库存后订单确认（缺货时为缺货待发）",
                "The order is confirmed once stock is reserved (backordered when short)",
                "/sales",
                "inventory",
            ),
            (
                "发货出库（按移动加权平均成本结转）",
                "Ship the goods (cost of goods sold at moving weighted average)",
                "/stock",
                "inventory",
            ),
            (
                "发货后财务自动开具销售发票",
                "Finance issues the customer invoice on dispatch",
                "/finance",
                "finance",
            ),
            (
                "登记收款并核销发票",
                "Record the customer receipt and allocate it to the invoice",
                "/finance/receipts",
                "finance",
            ),
            (
                "发票结清后订单完成",
                "The order completes when its invoice is settled",
                "/sales",
                "sales",
            ),
        ),
    ),
    (
        "stocktake",
        (
            (
                "冻结一个仓库开始盘点",
                "Start a stocktake of one warehouse (counts freeze the book quantity)",
                "/stocktake",
                "inventory",
            ),
            ("录入实盘数量", "Enter the counted quantities", "/stocktake", "inventory"),
            (
                "确认差异：盘盈盘亏按成本调整库存并记账",
                "Confirm the differences: gains and losses adjust stock at cost and are booked",
                "/stocktake",
                "inventory",
            ),
        ),
    ),
    (
        "reports",
        (
            (
                "在工作台查看今日指标和图表",
                "Read today's figures and charts on the dashboard",
                "/",
                "viewer",
            ),
            (
                "运行销售、毛利、库存、账龄等报表，下载 Excel",
                "Run sales, margin, stock and aging reports; download Excel",
                "/reports",
                "analyst",
            ),
            (
                "把常用组合保存为自定义报表",
                "Save a favourite combination as a custom report",
                "/reports",
                "analyst",
            ),
        ),
    ),
)

ACCOUNTS = (
    ("caigou", "purchasing"),
    ("jingli", "approver"),
    ("cangguan", "inventory"),
    ("xiaoshou", "sales"),
    ("caiwu", "finance"),
    ("fenxi", "analyst"),
    ("chakan", "viewer"),
)

register(
    {
        "guide.intro": (
            "演示公司是一家小茶叶店：两个仓库（上海 WH-SH、北京 WH-BJ），茶叶、茶具等商品，"
            "若干供应商和客户，以及过去半年的交易。按下面的步骤走一遍，就能了解整个系统。",
            "The demo company is a small tea shop: two warehouses (Shanghai WH-SH, Beijing "
            "WH-BJ), teas and teaware, a few suppliers and customers, and half a year of trade. "
            "Walk through the steps below to see the whole system.",
        ),
        "guide.accounts": ("演示账号", "Demo accounts"),
        "guide.accounts_text": (
            "以下账号的密码都是 `erp-demo-2026`；管理员 admin 的密码在 `erp up` 启动时打印"
            "（也保存在数据目录的 console-admin-password 文件中）。",
            "Each account below has the password `erp-demo-2026`; the administrator admin's "
            "password is printed by `erp up` (and kept in console-admin-password in the data "
            "directory).",
        ),
        "guide.section.p2p": ("采购到付款", "Procure to pay"),
        "guide.section.o2c": ("订单到收款", "Order to cash"),
        "guide.section.stocktake": ("盘点", "Stocktake"),
        "guide.section.reports": ("报表与分析", "Reports and analysis"),
        "guide.screen": ("屏幕", "Screen"),
        "guide.role": ("角色", "Role"),
        "guide.account": ("账号", "Account"),
        "help.guide": (
            "**入门指南** 带新用户走一遍演示公司：先用对应角色的账号登录，再按步骤打开链接的"
            "屏幕操作。每一步都写明由哪个角色完成——没有该角色的人只能查看，不能提交。"
            "右上角 中文/EN 切换语言。",
            "The **getting-started guide** walks a new user through the demo company: sign in "
            "with the account of the role named, then open the linked screen for each step. "
            "Each step names the role that does it — others can look but not submit. Switch "
            "the language with 中文/EN at the top.",
        ),
    }
)


def role_name(role: str, lang: str) -> str:
    from erp_console.domain.roles import ROLES

    names = ROLES.get(role, (role, role))
    return names[0] if lang == "zh" else names[1]


@screen("/guide", "nav.guide", help_key="help.guide")
async def guide(current: Screen) -> None:
    t = current.t
    ui.label(t("guide.intro")).classes("text-body1 q-mb-md").style("max-width: 900px")
    with ui.card().classes("w-full").props("data-testid=guide-accounts"):
        ui.label(t("guide.accounts")).classes("text-h6")
        ui.markdown(t("guide.accounts_text"))
        with ui.row().classes("flex-wrap gap-2"):
            for username, role in ACCOUNTS:
                ui.chip(f"{username} · {role_name(role, current.lang)}").props("outline")
    for number, (section, steps) in enumerate(SECTIONS, start=1):
        with ui.card().classes("w-full q-mt-md").props(f"data-testid=guide-{section}"):
            ui.label(f"{number}. {t(f'guide.section.{section}')}").classes("text-h6")
            for index, step in enumerate(steps, start=1):
                _step(current, index, step)


def _step(current: Screen, index: int, step: tuple[str, str, str, str]) -> None:
    zh, en, path, role = step
    account = next((name for name, r in ACCOUNTS if r == role), "")
    with ui.row().classes("items-center gap-2 flex-wrap"):
        ui.label(f"{index}.").classes("text-bold")
        ui.label(zh if current.lang == "zh" else en)
        ui.link(f"→ {path}", path).classes("text-primary")
        who = role_name(role, current.lang) + (f" ({account})" if account else "")
        ui.badge(f"{current.t('guide.role')}: {who}").props("outline color=secondary")
