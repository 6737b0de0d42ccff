"""The frame of every screen: who is signed in, the navigation their roles open, the language
switch, a help panel with this screen's help, and sign-out (a real form with the session's CSRF
token). `screen(path, ...)` registers a page that refuses anonymous visitors (to /login) and
people without one of its roles (a 403 page; the services would refuse them too)."""

import html
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from nicegui import ui

from erp_console.adapters.services import UserApi
from erp_console.adapters.sessions import Session
from erp_console.domain.roles import ADMIN, service_roles
from erp_console.domain.user import User
from erp_console.ui import state
from erp_console.ui.i18n import DEFAULT_LANGUAGE, LANGUAGES, register, translate

SESSION_COOKIE = "erp_session"
LANGUAGE_COOKIE = "erp_lang"


@dataclass
class Screen:
    """One person looking at one screen."""

    user: User
    session: Session
    lang: str
    api: UserApi
    request: Request

    def t(self, key: str, **values: object) -> str:
        return translate(key, self.lang, **values)

    def may(self, role: str) -> bool:
        return ADMIN in self.user.roles or role in self.user.roles

    def may_any(self, roles: Iterable[str]) -> bool:
        return any(self.may(role) for role in roles)


Builder = Callable[[Screen], Awaitable[None]]

#: (path, label key, roles that see it in the menu; empty = everyone).
NAVIGATION: list[tuple[str, str, tuple[str, ...]]] = [
    ("/", "nav.dashboard", ()),
    ("/stock", "nav.stock", ()),
    ("/purchasing", "nav.purchasing", ()),
    ("/sales", "nav.sales", ()),
    ("/finance", "nav.finance", ()),
    ("/reports", "nav.reports", ()),
    ("/stocktake", "nav.stocktake", ()),
    ("/users", "nav.users", (ADMIN,)),
    ("/guide", "nav.guide", ()),
]


async def screen_of(request: Request) -> Screen | None:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    found = await state.current().accounts.session_user(token)
    if found is None:
        return None
    session, user = found
    lang = request.cookies.get(LANGUAGE_COOKIE, DEFAULT_LANGUAGE)
    api = state.current().gateway.acting_for(user.username, service_roles(user.roles))
    return Screen(user, session, lang if lang in LANGUAGES else DEFAULT_LANGUAGE, api, request)


def screen(
    path: str, title_key: str, *, help_key: str | None = None, roles: tuple[str, ...] = ()
) -> Callable[[Builder], Builder]:
    """Register `build` as the page at `path` inside the frame."""

    def register_page(build: Builder) -> Builder:
        @ui.page(path, title=translate("app.title", DEFAULT_LANGUAGE))
        async def page(request: Request) -> Response | None:
            current = await screen_of(request)
            if current is None:
                return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
            frame(current, title_key, help_key)
            if roles and not current.may_any(roles):
                ui.label(current.t("error.forbidden")).classes("text-negative text-lg")
                return None
            await build(current)
            return None

        return build

    return register_page


def frame(current: Screen, title_key: str, help_key: str | None) -> None:
    ui.page_title(f"{current.t(title_key)} · {current.t('app.title')}")
    ui.query("body").classes("bg-grey-1")
    help_panel = ui.right_drawer(value=False, bordered=True).classes("p-4").props("width=360")
    with help_panel:
        ui.label(current.t("action.help")).classes("text-h6")
        ui.markdown(current.t(help_key or "help.generic")).classes("text-body2")
    with ui.header(elevated=True).classes("items-center bg-primary text-white q-px-md"):
        ui.label(current.t("app.title")).classes("text-h6 q-mr-lg")
        with ui.row().classes("gap-1 items-center grow"):
            for path, key, roles in NAVIGATION:
                if not roles or current.may_any(roles):
                    ui.link(current.t(key), path).classes("text-white q-px-sm nav-link")
        other = "en" if current.lang == "zh" else "zh"
        ui.link("EN" if other == "en" else "中文", f"/language/{other}").classes("text-white")
        ui.button(icon="help_outline", on_click=help_panel.toggle).props(
            "flat round color=white"
        ).props("data-testid=help-toggle")
        ui.label(f"{current.user.display_name} ({current.user.username})").classes("q-ml-md")
        ui.html(_logout_form(current), sanitize=False)
    ui.label(current.t(title_key)).classes("text-h5 q-mt-md")


def _logout_form(current: Screen) -> str:
    return (
        '<form method="post" action="/logout" style="display:inline">'
        f'<input type="hidden" name="csrf_token" value="{html.escape(current.session.csrf_token)}">'
        f'<button type="submit" class="q-btn q-ml-md" data-testid="logout" '
        f'style="color:white;background:none;border:1px solid white;padding:2px 8px">'
        f"{html.escape(current.t('action.logout'))}</button></form>"
    )


register(
    {
        "help.generic": (
            "每个屏幕右上角的 **?** 打开本帮助。红色提示说明哪里需要修改；"
            "同一表单重复点击提交只会生成一张单据。",
            "The **?** at the top right opens this help on every screen. Red messages say what "
            "to change; clicking submit twice still creates one document.",
        ),
    }
)
