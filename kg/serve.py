"""``kg serve``: a read-only SPARQL endpoint over the built store, with a query UI.

:func:`start_server` builds (or reuses) the on-disk store of :mod:`kg.store` and runs the
``oxigraph`` server binary of the ``oxigraph`` package on it::

    oxigraph serve-read-only --location build/store-<hash> --bind 127.0.0.1:<private> \\
        --union-default-graph --timeout-s 30

so the endpoint answers exactly like the embedded engine (the default graph is the union
of the named graphs) and refuses every update. Like every other view it leaves the draft
graphs of ``kg ingest`` out (it serves a store built without them) unless given
``--include-drafts``. Clients talk to the bounded gateway of
:mod:`kg.gateway` on ``--host``/``--port``, which limits the size of an answer, the time
it may take and the number of queries evaluated at once. It speaks the SPARQL 1.1 Protocol over GET
and POST at ``/query`` with JSON, XML, CSV and TSV results, and serves its own offline
query UI (YASGUI, bundled in the binary) at ``/``.
"""

from __future__ import annotations

import ctypes
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

import click

from kg.drafts import include_drafts_option
from kg.errors import EndpointError, InputError, KgError
from kg.options import data_option, shared_options

if TYPE_CHECKING:
    from kg.gateway import Gateway

__all__ = ["Server", "find_oxigraph", "serve_command", "start_server"]

log = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
DEFAULT_TIMEOUT_S = 30
"""Seconds a query may run before the server stops it."""
DEFAULT_MAX_RESULT_MB = 50.0
"""Largest answer, in MiB, sent to a client; a larger one is refused with a reason."""
DEFAULT_MAX_CONCURRENT = 8
"""Queries evaluated at the same time; the others wait their turn."""


def find_oxigraph() -> str:
    """Return the path of the ``oxigraph`` server binary.

    The one installed beside the running Python (the virtual environment) comes first.

    Raises:
        KgError: If it is not installed.
    """
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    found = shutil.which("oxigraph")
    if found:
        return found
    raise KgError(
        "the oxigraph server is not installed; run `pip install oxigraph` (or `make run`)"
    )


def check_port(host: str, port: int) -> None:
    """Raise if ``host:port`` cannot be bound (in use, or not an address of this machine).

    Raises:
        InputError: With what to do about it.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as err:
        raise InputError(f"cannot use --host {host!r}: {err.strerror}") from None
    family, _, _, _, address = infos[0]
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        try:
            probe.bind(address)
        except OSError as err:
            if err.errno in (98, 48):  # EADDRINUSE on Linux, macOS
                raise InputError(
                    f"port {port} on {host} is in use; stop the other server or pass "
                    f"--port {port + 1}"
                ) from None
            raise InputError(f"cannot listen on {host}:{port}: {err.strerror}") from None


@dataclass
class Server:
    """A running endpoint: the bounded gateway and the Oxigraph server behind it.

    Attributes:
        process: The ``oxigraph serve-read-only`` process, on a private loopback port.
        host: The address the gateway listens on.
        port: The port the gateway listens on.
        store: The store folder it serves.
        log: The file the Oxigraph server's own messages go to.
        gateway: The gateway clients talk to (see :mod:`kg.gateway`).
        upstream_port: The Oxigraph server's loopback port.
    """

    process: subprocess.Popen[bytes]
    host: str
    port: int
    store: Path
    log: Path
    gateway: Gateway | None = None
    upstream_port: int = 0
    command: list[str] = field(default_factory=list)
    restarts: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _replacing: bool = field(default=False, repr=False)
    _spawner: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(1, thread_name_prefix="kg-oxigraph"),
        repr=False,
    )

    @property
    def url(self) -> str:
        """The query UI, e.g. ``http://127.0.0.1:7878/``."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    @property
    def query_url(self) -> str:
        """The SPARQL 1.1 Protocol query endpoint."""
        return self.url + "query"

    def running(self) -> bool:
        """Whether the server process is still alive."""
        return self.process.poll() is None

    def wait(self) -> int:
        """Block until the server exits (not when it is restarted); return its exit code."""
        while True:
            process = self.process
            code = process.wait()
            with self._lock:
                if process is self.process and not self._replacing:
                    return code
            time.sleep(0.05)

    def restart_upstream(self, ready_timeout: float = 30.0) -> None:
        """Stop the Oxigraph server and start it again on the same store and port.

        The gateway calls this to stop a query that ignores the time limit (see
        :meth:`kg.gateway.Gateway.overrun`).

        Raises:
            EndpointError: If the new server does not answer.
        """
        with self._lock:
            self._replacing = True
        try:
            _terminate(self.process, grace=5.0)
            # The child gets SIGTERM when the *thread* that started it ends (Linux's
            # parent-death signal follows the thread): start it from a thread that lives
            # as long as the server, not from the request's.
            process = self._spawner.submit(_start_oxigraph, self.command, self.log, "ab").result()
            with self._lock:
                self.process = process
                self.restarts += 1
            _ready(f"http://127.0.0.1:{self.upstream_port}/", self, ready_timeout)
        finally:
            with self._lock:
                self._replacing = False

    def stop(self, grace: float = 5.0) -> int:
        """Stop the server (SIGTERM, then SIGKILL after ``grace`` s); return its exit code."""
        if self.gateway is not None:
            self.gateway.stop()
            self.gateway = None
        code = _terminate(self.process, grace)
        self._spawner.shutdown(wait=False)
        _serving_mark(self.store).unlink(missing_ok=True)
        return code


def _start_oxigraph(command: list[str], log: Path, mode: str = "wb") -> subprocess.Popen[bytes]:
    """Start the Oxigraph server, its messages going to ``log``."""
    with log.open(mode) as log_file:
        return subprocess.Popen(
            command,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            preexec_fn=_die_with_parent(),
        )


def _terminate(process: subprocess.Popen[bytes], grace: float) -> int:
    """Stop a process (SIGTERM, then SIGKILL after ``grace`` s); return its exit code."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            process.kill()
    return process.wait()


def _serving_mark(store: Path) -> Path:
    """The file that tells ``kg build`` not to prune a store this process serves."""
    return store.parent / f"{store.name}.serving-{os.getpid()}"


def _free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _die_with_parent() -> Callable[[], None] | None:
    """On Linux, make the server get SIGTERM when kg dies, even by SIGKILL.

    The libc function is looked up here, before the fork, so the child only makes the
    system call.
    """
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    pr_set_pdeathsig = 1

    def set_death_signal() -> None:
        prctl(pr_set_pdeathsig, int(signal.SIGTERM))

    return set_death_signal


def _ready(base: str, server: Server, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    probe = base + "query?query=ASK%7B%7D"
    process = server.process
    while time.monotonic() < deadline:
        if process.poll() is not None:
            lines = server.log.read_text("utf-8", "replace").strip().splitlines()
            last = lines[-1] if lines else f"exit code {process.returncode}"
            raise EndpointError(f"the oxigraph server stopped at start: {last}")
        try:
            with urllib.request.urlopen(probe, timeout=1.0) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.05)
    process.kill()
    raise EndpointError(
        f"the oxigraph server did not answer at {base} within {timeout:.0f} s; "
        f"see {server.log}"
    )


def start_server(
    data_dir: Path | None = None,
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    timeout_s: int = DEFAULT_TIMEOUT_S,
    build_dir: Path | None = None,
    cors: bool = False,
    ready_timeout: float = 30.0,
    max_result_mb: float = DEFAULT_MAX_RESULT_MB,
    max_concurrent: int = DEFAULT_MAX_CONCURRENT,
    include_drafts: bool = False,
) -> Server:
    """Build the store if needed and start the read-only endpoint on it.

    The Oxigraph server listens on a private loopback port; the bounded gateway of
    :mod:`kg.gateway` listens on ``host:port`` in front of it. Returns when the endpoint
    answers queries.

    Args:
        data_dir: A folder laid out like ``data/``; default ``data/``.
        host: Address to listen on; the default serves this machine only.
        port: Port to listen on.
        timeout_s: Seconds a query may run.
        build_dir: The build folder; default :func:`kg.paths.build_dir`.
        cors: Allow cross-origin requests (for query UIs served elsewhere).
        ready_timeout: Seconds to wait for the server to answer.
        max_result_mb: Largest answer sent to a client, in MiB.
        max_concurrent: Queries evaluated at the same time; others wait their turn.
        include_drafts: Also serve the draft graphs of ``kg ingest``; by default the
            endpoint serves a store without them, as every other view leaves them out
            (:mod:`kg.drafts`).

    Raises:
        InputError: If the data cannot be parsed or the port cannot be used.
        EndpointError: If the server does not start.
        KgError: If the oxigraph binary is missing.
    """
    from kg.gateway import Gateway, Limits
    from kg.store import build_store

    if not 0 < port < 65536:
        raise InputError(f"--port must be between 1 and 65535, not {port}")
    binary = find_oxigraph()
    info = build_store(data_dir, build_dir, include_drafts=include_drafts)
    check_port(host, port)
    upstream_port = _free_loopback_port()
    command = [
        binary,
        "serve-read-only",
        "--location",
        str(info.path),
        "--bind",
        f"127.0.0.1:{upstream_port}",
        "--union-default-graph",
        "--timeout-s",
        str(timeout_s),
    ]
    if cors:
        command.append("--cors")
    log.info("starting %s", " ".join(command))
    mark = _serving_mark(info.path)
    mark.write_text(f"{os.getpid()}\n", "utf-8")
    server_log = info.path.parent / f"oxigraph-serve-{port}.log"
    process = _start_oxigraph(command, server_log)
    server = Server(
        process=process,
        host=host,
        port=port,
        store=info.path,
        log=server_log,
        upstream_port=upstream_port,
        command=command,
    )
    try:
        _ready(f"http://127.0.0.1:{upstream_port}/", server, ready_timeout)
        limits = Limits(
            max_result_bytes=int(max_result_mb * 1_048_576),
            max_concurrent=max_concurrent,
            queue_timeout=float(timeout_s),
            deadline=float(timeout_s) + 5.0,
        )
        try:
            gateway = Gateway(
                host, port, "127.0.0.1", upstream_port, limits, restart=server.restart_upstream
            )
        except OSError as err:
            raise InputError(f"cannot listen on {host}:{port}: {err.strerror}") from None
        gateway.start()
        server.gateway = gateway
    except BaseException:
        server.stop(grace=1.0)
        raise
    return server


def _raise_interrupt(_signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt


@click.command("serve")
@click.option(
    "--host",
    default=DEFAULT_HOST,
    show_default=True,
    help="Address to listen on (0.0.0.0 serves the network; the endpoint is read-only).",
)
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=DEFAULT_PORT,
    show_default=True,
    help="Port to listen on.",
)
@click.option(
    "--timeout-s",
    type=click.IntRange(min=1),
    default=DEFAULT_TIMEOUT_S,
    show_default=True,
    help="Seconds a query may run before the server stops it.",
)
@click.option(
    "--max-result-mb",
    type=click.FloatRange(min=0.001),
    default=DEFAULT_MAX_RESULT_MB,
    show_default=True,
    help="Largest answer sent to a client, in MiB; a larger one is refused with a reason.",
)
@click.option(
    "--max-concurrent",
    type=click.IntRange(min=1),
    default=DEFAULT_MAX_CONCURRENT,
    show_default=True,
    help="Queries evaluated at the same time; the others wait their turn.",
)
@click.option(
    "--cors/--no-cors", default=False, show_default=True, help="Allow cross-origin requests."
)
@include_drafts_option
@data_option
@shared_options
def serve_command(data: Path | None, **options: Any) -> None:
    """Serve the graph as a read-only SPARQL endpoint with a query UI (Ctrl-C stops it).

    \b
    Example:
      kg serve --port 7878
      kg query instruments-at-risk --endpoint http://127.0.0.1:7878/query
    """
    # SIGTERM (a service manager) and SIGHUP (the terminal closed) stop it like Ctrl-C;
    # set before the server starts, so no signal can leave it running without kg.
    previous = {
        sig: signal.signal(sig, _raise_interrupt) for sig in (signal.SIGTERM, signal.SIGHUP)
    }
    try:
        _serve(data, options)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _serve(data: Path | None, options: dict[str, Any]) -> None:
    try:
        server = start_server(data, **options)
    except KeyboardInterrupt:
        click.echo("stopped", err=True)
        return
    # The banner is inside the try: a Ctrl-C that arrives as soon as it is on screen (before
    # the wait starts) must stop the server the same way as one during the wait.
    try:
        click.echo(
            f"serving {server.store.name} read-only\n"
            f"  query UI:        {server.url}\n"
            f"  SPARQL endpoint: {server.query_url} (GET or POST; JSON, XML, CSV, TSV)\n"
            "  e.g. kg contradictions --endpoint " + server.query_url + "\n"
            f"  limits: {options['timeout_s']} s a query, {options['max_result_mb']:g} MB an "
            f"answer, {options['max_concurrent']} queries at a time\n"
            "Ctrl-C stops the server.",
            err=True,
        )
        server.wait()
    except KeyboardInterrupt:
        pass
    code = server.stop()
    # A Ctrl-C in the terminal reaches the server too; it then exits by that signal.
    if code not in (0, -signal.SIGINT, -signal.SIGTERM, -signal.SIGHUP, 130, 143):
        raise EndpointError(
            f"the oxigraph server stopped unexpectedly (exit code {code}); see {server.log}"
        )
    click.echo("stopped", err=True)
