"""工作台 dashboard (placeholder replaced below by the full screen)."""

from erp_console.ui.shell import Screen, screen


@screen("/", "nav.dashboard")
async def dashboard(current: Screen) -> None:
    from nicegui import ui

    ui.label(current.user.display_name)
