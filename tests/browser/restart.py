"""Developer tool: stop the process listening on a local port (a console or a service of a
running `erp up`), which the stack then restarts with the code as it is now.

    uv run python -m tests.browser.restart 8100
"""

import signal
import sys

import psutil


def main() -> None:
    port = int(sys.argv[1])
    for conn in psutil.net_connections(kind="tcp"):
        listening = conn.status == psutil.CONN_LISTEN
        if conn.laddr and conn.laddr.port == port and listening and conn.pid:
            psutil.Process(conn.pid).send_signal(signal.SIGTERM)
            print(f"stopped pid {conn.pid} on port {port}; erp up restarts it")  # noqa: T201
            return
    raise SystemExit(f"nothing listens on port {port}")


if __name__ == "__main__":
    main()
