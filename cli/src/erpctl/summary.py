"""The panel `erp up` prints once the stack is healthy: everything a clerk or script needs."""

from rich.panel import Panel
from rich.table import Table

from erpctl.stack import StackEndpoints, StackOptions


def stack_panel(endpoints: StackEndpoints, options: StackOptions) -> Panel:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()
    if endpoints.console_url and endpoints.console_admin:
        user, password = endpoints.console_admin
        grid.add_row(
            "console 工作台",
            f"{endpoints.console_url}   [dim]sign in as[/] {user} / {password}",
        )
    grid.add_row("admin token", f"{endpoints.admin_token}   [dim](Authorization: Bearer …)[/]")
    for name, url in endpoints.service_urls.items():
        grid.add_row(name, f"{url}   [dim]docs:[/] {url}/docs")
    if not endpoints.service_urls:
        grid.add_row("services", "[yellow]none installed[/]")
    grid.add_row("database", f"{endpoints.database_url}   [dim](databases erp_<service>)[/]")
    grid.add_row("kafka", endpoints.bootstrap_servers)
    grid.add_row("data", f"{options.data_dir}   [dim]logs: {options.log_dir}[/]")
    return Panel(
        grid,
        title="[bold green]进销存 ERP is up[/]",
        subtitle="Ctrl-C stops everything",
        expand=False,
    )
