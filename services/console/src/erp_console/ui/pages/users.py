"""用户管理 user administration (administrators only): the list of accounts, registering a
user (the generated password is shown once), changing roles, disabling/enabling, resetting a
password. The console's own accounts live in-process (`Accounts`), each change an event whose
actor is the administrator; refusals (user_exists, last_admin, validation) are put in words."""

from collections.abc import Awaitable, Callable
from typing import Any

from nicegui import ui

from erp_console.adapters.users_projection import list_users
from erp_console.domain.errors import UserRefusal
from erp_console.domain.roles import ADMIN, ROLES
from erp_console.ui import state
from erp_console.ui.i18n import register
from erp_console.ui.shell import Screen, screen
from erp_console.ui.widgets import when
from eventkit import CommandContext

register(
    {
        "users.username": ("用户名", "Username"),
        "users.display_name": ("姓名", "Display name"),
        "users.roles": ("角色", "Roles"),
        "users.enabled": ("状态", "Status"),
        "users.active": ("启用", "Enabled"),
        "users.inactive": ("已停用", "Disabled"),
        "users.changed_at": ("最后修改", "Last changed"),
        "users.changed_by": ("修改人", "Changed by"),
        "users.create": ("新建用户", "New user"),
        "users.submit": ("创建用户", "Create user"),
        "users.password_once": (
            "{username} 的初始密码（只显示这一次，请转交本人）：{password}",
            "Password for {username} (shown only this once; hand it over): {password}",
        ),
        "users.reset_once": (
            "{username} 的新密码（只显示这一次）：{password}",
            "New password for {username} (shown only this once): {password}",
        ),
        "users.manage": ("修改用户", "Change a user"),
        "users.pick": ("选择用户", "User"),
        "users.save_roles": ("保存角色", "Save roles"),
        "users.disable": ("停用", "Disable"),
        "users.enable": ("启用", "Enable"),
        "users.reset": ("重置密码", "Reset password"),
        "users.done": ("已完成：{username}", "Done: {username}"),
        "users.created": ("已创建用户 {username}", "Created user {username}"),
        "users.invalid": ("输入有误：{message}", "Please check the input: {message}"),
        "help.users": (
            "**用户管理** 仅管理员可用。\n\n"
            "- 新建用户时系统生成初始密码，只显示一次，请当面或私下转交。\n"
            "- 一个用户可以有多个角色；角色决定能提交哪些单据（所有人都能查看）。\n"
            "- 停用用户会立即结束其所有会话；重置密码同样会让其重新登录。\n"
            "- 系统必须保留至少一个启用的管理员：不能停用或撤销最后一个管理员。\n"
            "- 每一次修改都会记录操作人（当前管理员）。",
            "**Users** is for administrators only.\n\n"
            "- A new user gets a generated password, shown only once: hand it over privately.\n"
            "- A user may hold several roles; roles decide which documents they may submit "
            "(everyone may read).\n"
            "- Disabling a user ends their sessions at once; a password reset does too.\n"
            "- The console keeps at least one enabled administrator: the last one cannot be "
            "disabled or lose the role.\n"
            "- Every change records the administrator who made it.",
        ),
    }
)

COLUMNS = ("username", "display_name", "roles", "enabled", "changed_at", "changed_by")


def role_options(lang: str) -> dict[str, str]:
    """role → "采购员 purchasing" in the reader's language, in the order of domain.roles."""
    return {
        role: f"{names[0] if lang == 'zh' else names[1]} ({role})" for role, names in ROLES.items()
    }


def refusal_text(current: Screen, refusal: UserRefusal) -> str:
    """A refusal in words: its stable code's text, or the validation message with its field."""
    if refusal.code == "validation_error":
        field = refusal.details.get("field")
        message = f"{field}: {refusal.message}" if field else refusal.message
        return current.t("users.invalid", message=message)
    text = current.t(f"refusal.{refusal.code}")
    return text if not text.startswith("refusal.") else refusal.message


@screen("/users", "nav.users", help_key="help.users", roles=(ADMIN,))
async def users(current: Screen) -> None:
    accounts = state.current().accounts
    context = CommandContext(actor=current.user.username)
    labels = role_options(current.lang)
    table = (
        ui.table(
            columns=[
                {"name": c, "label": current.t(f"users.{c}"), "field": c, "align": "left"}
                for c in COLUMNS
            ],
            rows=[],
            row_key="username",
            pagination=0,
        )
        .props("dense flat bordered data-testid=user-table")
        .classes("w-full")
    )
    names: list[str] = []

    async def reload() -> None:
        async with accounts.engine.connect() as conn:
            found = await list_users(conn)
        table.rows = [_row(current, labels, user) for user in found]
        table.update()
        names[:] = [str(user["username"]) for user in found]
        picker.set_options(list(names), value=picker.value if picker.value in names else None)

    with ui.row().classes("flex-wrap gap-4 w-full items-start q-mt-md"):
        with ui.card().classes("q-pa-md").style("min-width: 320px").props("data-testid=form-user"):
            _create_form(current, labels, context, reload)
        with ui.card().classes("q-pa-md").style("min-width: 320px"):
            picker = _manage_panel(current, labels, context, reload)
    await reload()


def _row(current: Screen, labels: dict[str, str], user: dict[str, Any]) -> dict[str, Any]:
    return {
        "username": user["username"],
        "display_name": user["display_name"],
        "roles": ", ".join(labels.get(r, r) for r in user["roles"]),
        "enabled": current.t("users.active" if user["enabled"] else "users.inactive"),
        "changed_at": when(user["changed_at"].isoformat() if user["changed_at"] else None),
        "changed_by": user["changed_by"] or "",
    }


class Outcome:
    """The error banner and the success line of one panel; a guard against double clicks."""

    def __init__(self, current: Screen, testid: str) -> None:
        self.current = current
        self.error = ui.label("").classes("text-negative").props(f"data-testid={testid}-error")
        self.ok = ui.label("").classes("text-positive").props(f"data-testid={testid}-ok")
        self.busy = False

    async def attempt(self, work: Callable[[], Awaitable[str]], button: Any) -> bool:
        if self.busy:
            return False
        self.busy = True
        button.disable()
        self.error.set_text("")
        self.ok.set_text("")
        try:
            self.ok.set_text(await work())
        except UserRefusal as refusal:
            self.error.set_text(refusal_text(self.current, refusal))
            return False
        else:
            return True
        finally:
            self.busy = False
            button.enable()


def _create_form(
    current: Screen,
    labels: dict[str, str],
    context: CommandContext,
    reload: Callable[[], Awaitable[None]],
) -> None:
    t = current.t
    accounts = state.current().accounts
    ui.label(t("users.create")).classes("text-subtitle1")
    username = ui.input(t("users.username")).props("dense data-testid=user-username")
    display = ui.input(t("users.display_name")).props("dense data-testid=user-display-name")
    roles = ui.select(labels, value=[], multiple=True, label=t("users.roles"))
    roles.props("dense use-chips data-testid=user-roles").classes("w-full")
    submit = ui.button(t("users.submit")).props("data-testid=user-submit")
    outcome = Outcome(current, "user")
    once = ui.label("").classes("text-bold").props("data-testid=user-password-once")

    async def create() -> str:
        name = (username.value or "").strip()
        password = await accounts.register(
            context, name, display.value or "", list(roles.value or [])
        )
        once.set_text(t("users.password_once", username=name, password=password))
        username.value, display.value, roles.value = "", "", []
        ui.timer(0.5, reload, once=True)  # the list is a projection: a moment behind
        return t("users.created", username=name)

    async def pressed() -> None:
        once.set_text("")
        await outcome.attempt(create, submit)

    submit.on_click(pressed)


def _manage_panel(
    current: Screen,
    labels: dict[str, str],
    context: CommandContext,
    reload: Callable[[], Awaitable[None]],
) -> Any:
    t = current.t
    accounts = state.current().accounts
    ui.label(t("users.manage")).classes("text-subtitle1")
    picker = (
        ui.select([], label=t("users.pick")).props("dense data-testid=user-pick").classes("w-full")
    )
    roles = ui.select(labels, value=[], multiple=True, label=t("users.roles"))
    roles.props("dense use-chips data-testid=user-roles-edit").classes("w-full")
    with ui.row().classes("flex-wrap gap-2"):
        save = ui.button(t("users.save_roles")).props("data-testid=user-roles-save")
        disable = ui.button(t("users.disable")).props("outline data-testid=user-disable")
        enable = ui.button(t("users.enable")).props("outline data-testid=user-enable")
        reset = ui.button(t("users.reset")).props("outline data-testid=user-reset-password")
    outcome = Outcome(current, "user-manage")
    once = ui.label("").classes("text-bold").props("data-testid=user-reset-once")

    async def picked() -> None:
        if picker.value:
            async with accounts.engine.connect() as conn:
                roles.value = sorted((await accounts.user(conn, str(picker.value))).roles)

    def action(button: Any, work: Callable[[str], Awaitable[str | None]]) -> None:
        async def pressed() -> None:
            name = str(picker.value or "")
            once.set_text("")

            async def run() -> str:
                shown = await work(name)
                if shown:
                    once.set_text(t("users.reset_once", username=name, password=shown))
                ui.timer(0.5, reload, once=True)
                return t("users.done", username=name)

            await outcome.attempt(run, button)

        button.on_click(pressed)

    async def change(name: str) -> None:
        await accounts.change_roles(context, name, list(roles.value or []))

    action(save, change)
    action(disable, lambda name: accounts.disable(context, name))
    action(enable, lambda name: accounts.enable(context, name))
    action(reset, lambda name: accounts.reset_password(context, name))
    picker.on_value_change(picked)
    return picker
