"""The bounded gateway of ``kg serve`` in front of a real HTTP server that misbehaves.

The upstream here is a small threaded HTTP server on loopback that can be slow, trickle
bytes or answer without end, so that each limit of :class:`kg.gateway.Limits` is met on
purpose. ``tests/test_endpoint_limits.py`` tests the same limits through ``kg serve`` with
Oxigraph behind the gateway.
"""

from __future__ import annotations

import http.client
import socket
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from kg.gateway import Gateway, Limits


@dataclass
class Upstream:
    """What the upstream saw."""

    running: int = 0
    most: int = 0
    requests: list[tuple[str, str, dict[str, str], bytes]] = field(default_factory=list)
    broken: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)


def make_handler(seen: Upstream) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

        def do_GET(self) -> None:
            self.answer()

        def do_POST(self) -> None:
            self.answer()

        def answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            with seen.lock:
                seen.running += 1
                seen.most = max(seen.most, seen.running)
                seen.requests.append((self.command, self.path, dict(self.headers), body))
            done = False
            try:
                kind, _, arg = self.path.strip("/").partition("/")
                if kind == "slow":
                    time.sleep(float(arg))
                    # Count the request as finished before the answer leaves: the gateway
                    # frees its slot as soon as it has the answer, before this thread ends.
                    with seen.lock:
                        seen.running -= 1
                    done = True
                    try:
                        self.small(b"slow answer")
                    except OSError:
                        seen.broken.set()  # the gateway gave up waiting and hung up
                elif kind == "endless":
                    self.send_response(200)
                    self.send_header("Content-Type", "text/plain")
                    self.end_headers()
                    try:
                        while True:
                            self.wfile.write(b"x" * 65536)
                    except OSError:
                        seen.broken.set()
                elif kind == "trickle":
                    self.send_response(200)
                    self.send_header("Content-Type", "text/plain")
                    self.end_headers()
                    try:
                        for _ in range(200):
                            self.wfile.write(b"x")
                            self.wfile.flush()
                            time.sleep(0.05)
                    except OSError:
                        seen.broken.set()
                else:
                    self.small(b"hello", {"Connection": "keep-alive", "X-Upstream": "yes"})
            finally:
                if not done:
                    with seen.lock:
                        seen.running -= 1

        def small(self, body: bytes, headers: dict[str, str] | None = None) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

    return Handler


class QuietUpstream(ThreadingHTTPServer):
    """Drops the client hanging up, which the gateway does on purpose here.

    The default handler prints a traceback to ``sys.stderr`` from a daemon thread, which
    can outlive its test and land in the output that a later test's ``CliRunner`` captures.
    """

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@dataclass
class Setup:
    upstream: Upstream
    gateway: Gateway

    def request(
        self,
        path: str,
        method: str = "GET",
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.gateway.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()


@pytest.fixture
def make_setup() -> Iterator[Any]:
    started: list[tuple[ThreadingHTTPServer, Gateway]] = []

    def make(restart: Any = None, **limits: Any) -> Setup:
        seen = Upstream()
        upstream = QuietUpstream(("127.0.0.1", 0), make_handler(seen))
        upstream.daemon_threads = True
        threading.Thread(target=upstream.serve_forever, daemon=True).start()
        gateway = Gateway(
            "127.0.0.1",
            0,
            "127.0.0.1",
            int(upstream.server_address[1]),
            Limits(**limits),
            restart=restart,
        )
        gateway.start()
        started.append((upstream, gateway))
        return Setup(seen, gateway)

    yield make
    for upstream, gateway in started:
        gateway.stop()
        upstream.shutdown()
        upstream.server_close()


def test_an_answer_is_passed_on_with_its_own_headers_and_no_hop_by_hop_ones(
    make_setup: Any,
) -> None:
    setup = make_setup()
    status, headers, body = setup.request("/query?x=1", headers={"Accept": "text/csv"})
    assert (status, body) == (200, b"hello")
    assert headers["X-Upstream"] == "yes" and headers["Content-Length"] == "5"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers.get("Connection") != "keep-alive"
    method, path, sent, _ = setup.upstream.requests[0]
    assert (method, path, sent["Accept"]) == ("GET", "/query?x=1", "text/csv")


def test_post_bodies_reach_the_upstream_whole(make_setup: Any) -> None:
    setup = make_setup()
    query = "query=" + "SELECT * WHERE { ?s ?p ?o }" * 100
    status, _, _ = setup.request(
        "/query",
        method="POST",
        body=query.encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert status == 200
    assert setup.upstream.requests[0][3] == query.encode()


def test_an_answer_over_the_size_limit_is_refused_and_the_upstream_stopped(
    make_setup: Any,
) -> None:
    setup = make_setup(max_result_bytes=1_048_576)
    status, headers, body = setup.request("/endless")
    assert status == 400
    assert body.decode().count("\n") == 1 and "limit of 1 MB" in body.decode()
    assert headers["Content-Type"].startswith("text/plain")
    assert setup.upstream.broken.wait(10), "the upstream was never told to stop"


def test_an_answer_that_takes_too_long_in_all_gets_504(make_setup: Any) -> None:
    # Each byte comes quickly, so no single read times out; the whole takes too long.
    setup = make_setup(deadline=1.0)
    status, _, body = setup.request("/trickle")
    assert status == 504 and b"stopped the query before it finished" in body
    assert setup.upstream.broken.wait(10)


def test_no_more_than_max_concurrent_requests_reach_the_upstream(make_setup: Any) -> None:
    setup = make_setup(max_concurrent=2, queue_timeout=30.0)
    results: list[int] = []

    def one() -> None:
        results.append(setup.request("/slow/0.3")[0])

    threads = [threading.Thread(target=one) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert results == [200] * 6
    assert setup.upstream.most == 2


def test_a_request_that_waits_too_long_for_a_slot_gets_503(make_setup: Any) -> None:
    setup = make_setup(max_concurrent=1, queue_timeout=0.2)
    first: list[int] = []
    holder = threading.Thread(target=lambda: first.append(setup.request("/slow/2")[0]))
    holder.start()
    deadline = time.monotonic() + 10
    while not setup.upstream.running and time.monotonic() < deadline:
        time.sleep(0.01)
    status, headers, body = setup.request("/query")
    holder.join(30)
    assert status == 503 and headers["Retry-After"] == "1" and b"busy" in body
    assert first == [200]


def test_connections_over_the_limit_are_answered_503_at_once(make_setup: Any) -> None:
    setup = make_setup(max_connections=1)
    idle = socket.create_connection(("127.0.0.1", setup.gateway.port))
    try:
        # The idle connection holds the one place once the gateway has accepted it (a
        # fixed sleep was not always long enough on a loaded machine).
        deadline = time.monotonic() + 10
        while setup.gateway.open_connections < 1 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert setup.gateway.open_connections == 1
        with socket.create_connection(("127.0.0.1", setup.gateway.port), timeout=10) as extra:
            answer = extra.recv(4096)
        assert answer.startswith(b"HTTP/1.1 503") and b"too many connections" in answer
    finally:
        idle.close()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if setup.request("/query")[0] == 200:
            break
        time.sleep(0.05)
    else:
        pytest.fail("the gateway did not take connections again after the idle one closed")


def test_writes_are_refused_without_reaching_the_upstream(make_setup: Any) -> None:
    setup = make_setup()
    for method in ("PUT", "DELETE", "PATCH"):
        status, headers, body = setup.request("/store?default", method=method, body=b"x")
        assert status == 403 and b"read-only" in body
        assert headers["Allow"] == "GET, HEAD, POST, OPTIONS"
    assert setup.upstream.requests == []


def test_request_bodies_over_the_limit_and_chunked_bodies_are_refused(make_setup: Any) -> None:
    setup = make_setup(max_request_bytes=1000)
    status, _, body = setup.request("/query", method="POST", body=b"q" * 1001)
    assert status == 413 and b"send a shorter query" in body
    connection = http.client.HTTPConnection("127.0.0.1", setup.gateway.port, timeout=30)
    try:
        connection.request("POST", "/query", body=iter([b"abc"]), encode_chunked=True)
        assert connection.getresponse().status == 411
    finally:
        connection.close()
    status, _, _ = setup.request("/query", method="POST", headers={"Content-Length": "abc"})
    assert status == 400
    assert setup.upstream.requests == []


def test_an_upstream_that_is_gone_gives_502(make_setup: Any) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        dead_port = int(probe.getsockname()[1])
    gateway = Gateway("127.0.0.1", 0, "127.0.0.1", dead_port, Limits())
    gateway.start()
    try:
        status, _, body = Setup(Upstream(), gateway).request("/query")
    finally:
        gateway.stop()
    assert status == 502 and b"did not answer" in body


def settled(gateway: Gateway, generation: int) -> None:
    """Wait until the gateway's restarts (after its 504 was sent) reach ``generation``."""
    deadline = time.monotonic() + 30
    while gateway.generation < generation and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.5)  # room for a second restart that should not come
    assert gateway.ready.is_set()


def test_a_silent_overrun_restarts_the_engine_once(make_setup: Any) -> None:
    restarts: list[float] = []
    setup = make_setup(restart=lambda: restarts.append(time.monotonic()), deadline=0.5)
    assert setup.request("/slow/3")[0] == 504  # nothing sent before the deadline
    settled(setup.gateway, 1)
    assert len(restarts) == 1 and setup.gateway.generation == 1


def test_overruns_while_answering_or_over_the_size_need_no_restart(make_setup: Any) -> None:
    restarts: list[float] = []
    setup = make_setup(
        restart=lambda: restarts.append(time.monotonic()),
        deadline=2.0,  # the trickle's first byte comes well before, even on a busy machine
        max_result_bytes=1_048_576,
    )
    assert setup.request("/trickle")[0] == 504  # bytes flowing: closing stops it
    assert setup.request("/endless")[0] == 400
    assert setup.request("/query")[0] == 200
    time.sleep(0.5)  # a restart, if one were wrongly asked for, starts after the answer
    assert restarts == [] and setup.gateway.generation == 0


def test_two_overruns_at_once_restart_once(make_setup: Any) -> None:
    restarts: list[float] = []

    def restart() -> None:
        time.sleep(0.3)
        restarts.append(time.monotonic())

    setup = make_setup(restart=restart, deadline=0.5)
    statuses: list[int] = []
    threads = [
        threading.Thread(target=lambda: statuses.append(setup.request("/slow/2")[0]))
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert statuses == [504, 504]
    settled(setup.gateway, 1)
    assert len(restarts) == 1
