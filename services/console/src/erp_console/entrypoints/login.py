"""Sign-in and sign-out: plain HTML forms (they work before any script loads).

CSRF: the sign-in form posts back a token that must equal the one in a cookie set with the
form (double submit); sign-out posts the session's own CSRF token. The session cookie is
HttpOnly and SameSite=Strict, so another site can neither read it nor make the browser send it.
Failed sign-ins are logged and rate-limited (`adapters.sessions`)."""

import html
import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from erp_console.adapters.sessions import SESSION_LIFETIME
from erp_console.application.accounts import SignInRefused
from erp_console.ui import state
from erp_console.ui.i18n import DEFAULT_LANGUAGE, LANGUAGES, translate
from erp_console.ui.shell import LANGUAGE_COOKIE, SESSION_COOKIE

LOGIN_CSRF_COOKIE = "erp_login_csrf"
router = APIRouter(include_in_schema=False)


def _lang(request: Request) -> str:
    lang = request.cookies.get(LANGUAGE_COOKIE, DEFAULT_LANGUAGE)
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def _safe_next(target: str | None) -> str:
    """Only a path on this site: `//evil.example` or a full URL would be an open redirect."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


@router.get("/login")
async def login_form(request: Request, next: str = "/", error: str = "") -> Response:
    lang, csrf = _lang(request), secrets.token_urlsafe(32)
    message = translate(f"login.{error}", lang) if error else ""
    page = _LOGIN_PAGE.format(
        lang="zh-CN" if lang == "zh" else "en",
        title=html.escape(translate("login.title", lang)),
        username=html.escape(translate("login.username", lang)),
        password=html.escape(translate("login.password", lang)),
        submit=html.escape(translate("login.submit", lang)),
        error=f'<p class="error" role="alert">{html.escape(message)}</p>' if message else "",
        csrf=csrf,
        next=html.escape(_safe_next(next)),
        other_lang="en" if lang == "zh" else "zh",
        other_label="English" if lang == "zh" else "中文",
    )
    response = HTMLResponse(page)
    response.set_cookie(
        LOGIN_CSRF_COOKIE, csrf, httponly=True, samesite="strict", secure=_secure(request)
    )
    return response


@router.post("/login")
async def login(
    request: Request,
    username: Annotated[str, Form(max_length=80)],
    password: Annotated[str, Form(max_length=200)],
    csrf_token: Annotated[str, Form(max_length=100)],
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    target = _safe_next(next)
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not secrets.compare_digest(expected, csrf_token):
        return RedirectResponse(f"/login?error=expired&next={target}", status_code=303)
    client_ip = request.client.host if request.client else "unknown"
    try:
        signed = await state.current().accounts.sign_in(
            username.strip().lower(), password, client_ip
        )
    except SignInRefused as refused:
        return RedirectResponse(f"/login?error={refused.code}&next={target}", status_code=303)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        signed.token,
        max_age=int(SESSION_LIFETIME.total_seconds()),
        httponly=True,
        samesite="strict",
        secure=_secure(request),
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE)
    return response


@router.post("/logout")
async def logout(request: Request, csrf_token: Annotated[str, Form(max_length=100)]) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    accounts = state.current().accounts
    found = await accounts.session_user(token) if token else None
    if found is not None and not secrets.compare_digest(found[0].csrf_token, csrf_token):
        return Response("CSRF token mismatch", status_code=403)
    if token:
        await accounts.sign_out(token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/language/{lang}")
async def switch_language(request: Request, lang: str) -> Response:
    back = _safe_next(request.headers.get("referer", "/").split(str(request.base_url)[:-1])[-1])
    response = RedirectResponse(back, status_code=303)
    if lang in LANGUAGES:
        response.set_cookie(LANGUAGE_COOKIE, lang, max_age=365 * 86400, samesite="lax")
    return response


_LOGIN_PAGE = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: system-ui, "Noto Sans CJK SC", "WenQuanYi Zen Hei", sans-serif;
       background: #f5f5f5; display: flex; justify-content: center; padding-top: 10vh; }}
form {{ background: white; padding: 2rem; border-radius: 8px; width: 22rem;
        box-shadow: 0 1px 4px rgba(0,0,0,.15); }}
label {{ display: block; margin-top: 1rem; }}
input {{ width: 100%; padding: .5rem; font-size: 1rem; box-sizing: border-box; }}
button {{ margin-top: 1.5rem; width: 100%; padding: .6rem; font-size: 1rem;
          background: #1976d2; color: white; border: none; border-radius: 4px; }}
.error {{ color: #c10015; }}
</style></head>
<body><form method="post" action="/login" id="login-form">
<h2>{title}</h2>{error}
<input type="hidden" name="csrf_token" value="{csrf}">
<input type="hidden" name="next" value="{next}">
<label for="username">{username}</label>
<input id="username" name="username" autocomplete="username" required autofocus>
<label for="password">{password}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit" id="login-submit">{submit}</button>
<p><a href="/language/{other_lang}">{other_label}</a></p>
</form></body></html>
"""
