"""TCP port checks shared by the stack components (all bind on 127.0.0.1)."""

import socket
import time

LOCALHOST = "127.0.0.1"


def port_is_free(port: int, host: str = LOCALHOST) -> bool:
    """True if nothing listens on `host:port` and we could bind it ourselves."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(0.2)
        if probe.connect_ex((host, port)) == 0:
            return False
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as binder:
        # SO_REUSEADDR like the servers themselves: TIME_WAIT leftovers of a previous run
        # must not count as "in use".
        binder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            binder.bind((host, port))
        except OSError:
            return False
    return True


def port_accepts(port: int, host: str = LOCALHOST) -> bool:
    """True if a server accepts TCP connections on `host:port` right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(0.5)
        return probe.connect_ex((host, port)) == 0


def wait_until_free(port: int, timeout: float, host: str = LOCALHOST) -> bool:
    """Wait for a port a stopped server held to become free again; False on timeout."""
    deadline = time.monotonic() + timeout
    while not port_is_free(port, host):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True
