"""A bounded HTTP gateway in front of the Oxigraph server of ``kg serve``.

Oxigraph's ``serve-read-only`` stops a query after ``--timeout-s`` seconds of evaluation,
but it streams results as they are produced and has no limit on their size: a cartesian
``SELECT *`` streams gigabytes, for as long as the client reads. The gateway is what the
users' clients talk to; the Oxigraph server listens on a private loopback port behind it.
For each request it:

* refuses anything but ``GET``, ``HEAD``, ``POST`` and ``OPTIONS`` with ``403`` (the
  endpoint is read-only; Oxigraph refuses updates sent by POST as well), and request
  bodies over ``max_request_bytes`` with ``413``;
* lets at most ``max_concurrent`` requests reach Oxigraph at once; the others wait their
  turn for up to ``queue_timeout`` seconds and then get ``503`` with ``Retry-After``;
  connections over ``max_connections`` are answered ``503`` at once (a bounded number of
  threads);
* reads Oxigraph's whole answer before sending anything, and stops it, answering ``400``
  with a one-line reason, once it passes ``max_result_bytes`` (``kg serve
  --max-result-mb``) or, with ``504``, once it takes longer than ``deadline`` seconds in
  all (Oxigraph's time limit bounds evaluation, not streaming). An answer that Oxigraph
  itself cut off at its time limit (a ``200`` whose document ends in an error sentence)
  becomes a clean ``504`` too.

So one pathological query costs at most ``max_result_bytes`` of memory and ``deadline``
seconds of one slot, and every other client goes on being answered. A query that passes
its deadline before Oxigraph sends any of its answer (a sort over a huge intermediate
result, which ignores Oxigraph's time limit) makes the gateway restart Oxigraph, the only
way to stop it (:meth:`Gateway.overrun`); requests in flight then are asked again.
"""

from __future__ import annotations

import http.client
import logging
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = ["Gateway", "Limits"]

log = logging.getLogger(__name__)

_HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "content-length",
        "host",
    }
)
_ALLOWED = ("GET", "HEAD", "POST", "OPTIONS")
_CHUNK = 64 * 1024
_DISCARD_MAX = 16 * 1024 * 1024
"""Largest refused request body still read (and dropped) so the client sees the reason."""
_CANCELLED = b"operation has been cancelled"
"""How Oxigraph ends an answer it stops at its ``--timeout-s``, after a 200 status line."""
_UI_CSP = "connect-src 'self'"
"""Policy sent with the HTML pages (the query UI): scripts may call this server only."""


@dataclass(frozen=True, kw_only=True)
class Limits:
    """What one request may cost.

    Attributes:
        max_result_bytes: Largest answer body passed on to a client.
        max_request_bytes: Largest request body (a query or a form) accepted.
        max_concurrent: Requests evaluated by Oxigraph at the same time.
        max_connections: Open client connections; more are answered 503 at once.
        queue_timeout: Seconds a request waits for a free slot before 503.
        deadline: Seconds Oxigraph may take for a whole answer, streaming included.
    """

    max_result_bytes: int = 50 * 1024 * 1024
    max_request_bytes: int = 1024 * 1024
    max_concurrent: int = 8
    max_connections: int = 64
    queue_timeout: float = 30.0
    deadline: float = 35.0


class _TooLargeError(Exception):
    """The answer passed ``max_result_bytes``."""


class _TooSlowError(Exception):
    """The answer took longer than ``deadline``, or Oxigraph cut it off at its limit.

    ``silent`` when Oxigraph had sent no part of the body: it may still be working (a sort
    does not check its time limit), and closing the connection does not stop it.
    """

    def __init__(self, silent: bool = False) -> None:
        super().__init__()
        self.silent = silent


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # Many clients connect at once in a load test; the kernel's default backlog of 5
    # makes some of them wait for a SYN retransmit (a second or more).
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], gateway: Gateway, family: int) -> None:
        self.address_family = family
        self.gateway = gateway
        self._open = 0
        self._open_lock = threading.Lock()
        super().__init__(address, _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._open_lock:
            full = self._open >= self.gateway.limits.max_connections
            if not full:
                self._open += 1
        if full:
            try:
                request.sendall(
                    b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\n"
                    b"Content-Type: text/plain; charset=utf-8\r\nContent-Length: 41\r\n"
                    b"Connection: close\r\n\r\ntoo many connections; try again shortly\r\n"
                )
            except OSError:
                pass
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            with self._open_lock:
                self._open -= 1


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server
    # A client that sends nothing for this long is disconnected (slow-loris).
    timeout = 60

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (stdlib name)
        log.debug("%s %s", self.address_string(), format % args)

    def do_GET(self) -> None:
        self._forward()

    def do_HEAD(self) -> None:
        self._forward()

    def do_POST(self) -> None:
        self._forward()

    def do_OPTIONS(self) -> None:
        self._forward()

    def do_PUT(self) -> None:
        self._refuse_write()

    def do_DELETE(self) -> None:
        self._refuse_write()

    def do_PATCH(self) -> None:
        self._refuse_write()

    def _refuse_write(self) -> None:
        self._drain_body()
        # 403, as Oxigraph answers a write to a read-only store.
        self._plain(
            403,
            "this endpoint is read-only; it answers GET, HEAD, POST and OPTIONS",
            {"Allow": ", ".join(_ALLOWED)},
        )

    def _drain_body(self) -> None:
        length = self._content_length()
        if length is not None and length > 0:
            self.close_connection = True
            self._discard(length)

    def _discard(self, length: int) -> None:
        """Read and drop a refused body, so the client can read the answer.

        Without it a client still sending gets a broken pipe instead of the reason. Bodies
        over ``_DISCARD_MAX`` bytes are not read: the connection is closed on them.
        """
        if length > _DISCARD_MAX:
            return
        left = length
        while left > 0:
            chunk = self.rfile.read(min(left, _CHUNK))
            if not chunk:
                return
            left -= len(chunk)

    def _content_length(self) -> int | None:
        value = self.headers.get("Content-Length")
        if value is None:
            return None
        try:
            length = int(value)
        except ValueError:
            return -1
        return length if length >= 0 else -1

    def _plain(self, status: int, message: str, extra: dict[str, str] | None = None) -> None:
        body = (message + "\n").encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _forward(self) -> None:
        gateway = self.server.gateway
        limits = gateway.limits
        if self.headers.get("Transfer-Encoding", "").lower() not in ("", "identity"):
            self.close_connection = True
            self._plain(411, "send the request with a Content-Length, not chunked")
            return
        length = self._content_length()
        if length == -1:
            self.close_connection = True
            self._plain(400, "the Content-Length header is not a number")
            return
        if length is not None and length > limits.max_request_bytes:
            self.close_connection = True
            self._discard(length)
            self._plain(
                413,
                f"the request body is larger than {limits.max_request_bytes:,} bytes; "
                "send a shorter query",
            )
            return
        body = self.rfile.read(length) if length else None
        if not gateway.slots.acquire(timeout=limits.queue_timeout):
            self._plain(
                503,
                f"the server is busy ({limits.max_concurrent} queries running); try again shortly",
                {"Retry-After": "1"},
            )
            return
        generation = gateway.generation
        overrun = False
        try:
            try:
                answer = self._ask_upstream(body)
            except (ConnectionError, http.client.RemoteDisconnected):
                # The engine was being restarted (see Gateway.overrun): ask the new one.
                if gateway.generation == generation and gateway.ready.is_set():
                    raise
                gateway.ready.wait(timeout=limits.deadline)
                answer = self._ask_upstream(body)
        except _TooLargeError:
            self._plain(
                400,
                f"the result is larger than the server's limit of "
                f"{limits.max_result_bytes / 1_048_576:g} MB (kg serve --max-result-mb); "
                "add a LIMIT or narrow the query",
            )
            return
        except _TooSlowError as err:
            overrun = err.silent
            self._plain(
                504,
                "the server stopped the query before it finished (its time limit, "
                "kg serve --timeout-s); narrow the query or raise the limit",
            )
            return
        except OSError as err:
            log.warning("oxigraph did not answer: %s", err)
            self._plain(502, "the query engine behind this endpoint did not answer; try again")
            return
        finally:
            gateway.slots.release()
            if overrun:
                gateway.overrun(generation)
        status, reason, headers, content = answer
        self.send_response(status, reason)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(content)))
        self.send_header("X-Content-Type-Options", "nosniff")
        if any(n.lower() == "content-type" and v.startswith("text/html") for n, v in headers):
            # Oxigraph's query UI (YASGUI) fetches a prefix list from prefix.cc on load;
            # the page may talk to this server only, so no user's visit reaches a third party.
            self.send_header("Content-Security-Policy", _UI_CSP)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(content)

    def _ask_upstream(self, body: bytes | None) -> tuple[int, str, list[tuple[str, str]], bytes]:
        gateway = self.server.gateway
        limits = gateway.limits
        started = time.monotonic()
        connection = http.client.HTTPConnection(
            gateway.upstream_host, gateway.upstream_port, timeout=limits.deadline
        )
        try:
            headers = {
                name: value
                for name, value in self.headers.items()
                if name.lower() not in _HOP_BY_HOP
            }
            headers["Host"] = f"{gateway.upstream_host}:{gateway.upstream_port}"
            headers["Connection"] = "close"
            if body is not None:
                headers["Content-Length"] = str(len(body))
            connection.request(self.command, self.path, body=body, headers=headers)
            response = connection.getresponse()
            kept = [
                (name, value)
                for name, value in response.getheaders()
                if name.lower() not in _HOP_BY_HOP
            ]
            if self.command == "HEAD":
                return response.status, response.reason, kept, b""
            parts: list[bytes] = []
            size = 0
            while True:
                remaining = limits.deadline - (time.monotonic() - started)
                if remaining <= 0:
                    raise _TooSlowError(silent=size == 0)
                if connection.sock is not None:
                    connection.sock.settimeout(remaining)
                try:
                    chunk = response.read1(_CHUNK)
                except TimeoutError:
                    raise _TooSlowError(silent=size == 0) from None
                if not chunk:
                    break
                size += len(chunk)
                if size > limits.max_result_bytes:
                    raise _TooLargeError
                parts.append(chunk)
            content = b"".join(parts)
            if response.status == 200 and _CANCELLED in content[-200:]:
                # Oxigraph hit its time limit after it had sent the status line.
                raise _TooSlowError
            return response.status, response.reason, kept, content
        except socket.timeout:  # before the status line
            raise _TooSlowError(silent=True) from None
        finally:
            # Closing the connection mid-answer makes Oxigraph stop producing it.
            connection.close()


class Gateway:
    """The bounded gateway: listens on ``host:port`` and forwards to Oxigraph.

    Args:
        host: Address to listen on.
        port: Port to listen on.
        upstream_host: Address of the Oxigraph server (loopback).
        upstream_port: Port of the Oxigraph server.
        limits: What one request may cost.

    Raises:
        OSError: If ``host:port`` cannot be bound.
    """

    def __init__(
        self,
        host: str,
        port: int,
        upstream_host: str,
        upstream_port: int,
        limits: Limits,
        restart: Callable[[], None] | None = None,
    ) -> None:
        self.upstream_host = upstream_host
        self.upstream_port = upstream_port
        self.limits = limits
        self.slots = threading.BoundedSemaphore(limits.max_concurrent)
        self.restart = restart
        self.generation = 0
        """How many times the engine was restarted; a request notes it when it starts."""
        self.ready = threading.Event()
        """Set while the engine is up; cleared during a restart."""
        self.ready.set()
        self._restarting = threading.Lock()
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        self._server = _Server((host, port), self, family)
        self._thread: threading.Thread | None = None

    def overrun(self, generation: int) -> None:
        """A query passed its deadline before Oxigraph sent any of its answer.

        Oxigraph checks its time limit only between results, and a sort over a huge
        intermediate result checks it only once the sort is done (measured: 343 s and
        about 1 GB for a limit of 2 s), so it goes on working after the gateway has
        answered 504. When the gateway was given ``restart``, it restarts the engine
        (unless a restart already happened since ``generation``): that is the only way to
        stop the query. Requests that were in flight are asked again once it is back.
        """
        if self.restart is None:
            return
        with self._restarting:
            if self.generation != generation:
                return
            log.warning("a query ran past its time limit without answering; restarting the engine")
            self.ready.clear()
            try:
                self.restart()
            finally:
                self.generation += 1
                self.ready.set()

    @property
    def open_connections(self) -> int:
        """Client connections being served now (those answered 503 at once not counted)."""
        with self._server._open_lock:
            return self._server._open

    @property
    def port(self) -> int:
        """The port it listens on (the one the system chose when 0 was asked)."""
        return int(self._server.server_address[1])

    def start(self) -> None:
        """Serve in a background thread."""
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="kg-gateway", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop listening and close the socket."""
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._server.server_close()
