"""A bounded load test of ``kg serve`` on loopback: concurrent clients running the catalogue.

Starts the read-only endpoint (:func:`kg.serve.start_server`) on a free port of
127.0.0.1, unless ``--endpoint`` names a running one. Then ``--clients`` threads each send
the catalogue's queries (``queries/**/*.rq``, parameters at their defaults, bound in a
``VALUES`` block as the remote engine does) one after the other, each starting at a
different query, for ``--duration`` seconds. It stops by itself: no new request starts
after the deadline, and each request has a socket timeout.

A request counts as an error when the connection fails, the status is not 200, or the
body is not a complete SPARQL JSON result (a query the server cancels mid-stream ends
in an incomplete document). Prints requests, errors, throughput and latency percentiles
(p50, p90, p99, max) overall and per query, writes ``benchmarks/results/load-<time>.json``
with ``--save``, and exits 1 when there was any error.

Run::

    .venv/bin/python benchmarks/load_test.py                # 20 clients, 20 s, data/
    .venv/bin/python benchmarks/load_test.py --clients 4 --duration 3 --data tests/data/example
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from kg.queries import Query, catalogue  # noqa: E402
from kg.store import bind_values  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
ACCEPT = "application/sparql-results+json"


@dataclass
class Sample:
    """One request: which query, how long it took (s), and the error if it failed."""

    query: str
    seconds: float
    error: str | None = None


@dataclass
class LoadResult:
    """What a load test measured.

    Attributes:
        endpoint: The query URL.
        clients: Concurrent clients.
        duration: Seconds clients kept starting requests.
        wall: Seconds from the first request to the last answer.
        requests: Requests answered or failed.
        errors: Requests that failed.
        throughput: Requests per second over ``wall``.
        p50, p90, p99, max: Latency percentiles in milliseconds (all requests).
        per_query: Per query name: requests, errors, p50 and p99 in milliseconds.
        error_examples: Up to five distinct error messages.
    """

    endpoint: str
    clients: int
    duration: float
    wall: float
    requests: int
    errors: int
    throughput: float
    p50: float
    p90: float
    p99: float
    max: float
    per_query: dict[str, dict[str, float]] = field(default_factory=dict)
    error_examples: list[str] = field(default_factory=list)


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0-100) by the nearest-rank method; 0 for no values.

    >>> percentile([1.0, 2.0, 3.0, 4.0], 50), percentile([1.0, 2.0, 3.0, 4.0], 99)
    (2.0, 4.0)
    """
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def workload(queries: Sequence[Query] | None = None) -> list[tuple[str, str]]:
    """The catalogue's queries as ``(name, text)`` with parameter defaults bound.

    Queries with a required parameter and no default are left out (there is no value to
    give them).
    """
    out = []
    for query in queries if queries is not None else catalogue():
        if any(p.required for p in query.params):
            continue
        out.append((f"{query.category}/{query.name}", bind_values(query.text, query.bindings())))
    return out


def _ask(endpoint: str, name: str, text: str, timeout: float) -> Sample:
    body = urllib.parse.urlencode({"query": text}).encode("utf-8")
    request = urllib.request.Request(
        endpoint,
        data=body,
        method="POST",
        headers={"Accept": ACCEPT, "Content-Type": "application/x-www-form-urlencoded"},
    )
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data = response.read()
            status = response.status
    except urllib.error.HTTPError as err:
        return Sample(name, time.perf_counter() - start, f"HTTP {err.code}")
    except OSError as err:
        return Sample(name, time.perf_counter() - start, f"{type(err).__name__}: {err}")
    seconds = time.perf_counter() - start
    if status != 200:
        return Sample(name, seconds, f"HTTP {status}")
    try:
        document = json.loads(data)
    except ValueError:
        return Sample(name, seconds, "incomplete or malformed result document")
    if "results" not in document and "boolean" not in document:
        return Sample(name, seconds, "not a SPARQL result document")
    return Sample(name, seconds)


def run_load(
    endpoint: str,
    *,
    clients: int = 20,
    duration: float = 20.0,
    queries: Sequence[tuple[str, str]] | None = None,
    request_timeout: float = 120.0,
) -> LoadResult:
    """Run ``clients`` concurrent clients against ``endpoint`` for ``duration`` seconds.

    Args:
        endpoint: A SPARQL 1.1 Protocol query URL.
        clients: Number of concurrent clients (threads).
        duration: Seconds during which clients start new requests.
        queries: ``(name, text)`` pairs; default: :func:`workload`.
        request_timeout: Socket timeout of each request, in seconds.

    Returns:
        The measurements.
    """
    work = list(queries if queries is not None else workload())
    if not work:
        raise ValueError("no queries to run")
    samples: list[list[Sample]] = [[] for _ in range(clients)]
    start = time.perf_counter()
    deadline = start + duration

    def client(number: int) -> None:
        i = number
        while time.perf_counter() < deadline:
            name, text = work[i % len(work)]
            samples[number].append(_ask(endpoint, name, text, request_timeout))
            i += 1

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - start
    every = [s for per_client in samples for s in per_client]
    millis = [s.seconds * 1000 for s in every]
    failed = [s for s in every if s.error is not None]
    per_query: dict[str, dict[str, float]] = {}
    for name, _ in work:
        mine = [s for s in every if s.query == name]
        ms = [s.seconds * 1000 for s in mine]
        per_query[name] = {
            "requests": len(mine),
            "errors": sum(1 for s in mine if s.error is not None),
            "p50": round(percentile(ms, 50), 1),
            "p99": round(percentile(ms, 99), 1),
        }
    examples = sorted({f"{s.query}: {s.error}" for s in failed})[:5]
    return LoadResult(
        endpoint=endpoint,
        clients=clients,
        duration=duration,
        wall=round(wall, 2),
        requests=len(every),
        errors=len(failed),
        throughput=round(len(every) / wall, 1) if wall else 0.0,
        p50=round(percentile(millis, 50), 1),
        p90=round(percentile(millis, 90), 1),
        p99=round(percentile(millis, 99), 1),
        max=round(max(millis, default=0.0), 1),
        per_query=per_query,
        error_examples=examples,
    )


def report(result: LoadResult) -> str:
    """The result as text: one summary line, then a line a query."""
    lines = [
        f"{result.clients} clients, {result.duration:g} s against {result.endpoint}: "
        f"{result.requests} requests, {result.errors} errors, {result.throughput} req/s; "
        f"latency p50 {result.p50} ms, p90 {result.p90} ms, p99 {result.p99} ms, "
        f"max {result.max} ms",
    ]
    width = max((len(name) for name in result.per_query), default=5)
    lines.append(
        f"{'query':<{width}}  {'requests':>8}  {'errors':>6}  {'p50 ms':>8}  {'p99 ms':>8}"
    )
    for name, row in sorted(result.per_query.items()):
        lines.append(
            f"{name:<{width}}  {int(row['requests']):>8}  {int(row['errors']):>6}  "
            f"{row['p50']:>8}  {row['p99']:>8}"
        )
    lines += [f"error: {example}" for example in result.error_examples]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point; returns the exit code (1 when any request failed)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients (20)")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds (20)")
    parser.add_argument("--data", type=Path, default=None, help="data folder (data/)")
    parser.add_argument("--endpoint", default=None, help="query URL of a running endpoint")
    parser.add_argument("--timeout-s", type=int, default=30, help="server query timeout (30)")
    parser.add_argument("--save", action="store_true", help="write benchmarks/results/")
    args = parser.parse_args(argv)
    if args.clients < 1 or args.duration <= 0:
        parser.error("--clients must be at least 1 and --duration positive")

    server = None
    endpoint = args.endpoint
    if endpoint is None:
        import socket

        from kg.serve import start_server

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = int(probe.getsockname()[1])
        server = start_server(args.data, host="127.0.0.1", port=port, timeout_s=args.timeout_s)
        endpoint = server.query_url
    try:
        result = run_load(endpoint, clients=args.clients, duration=args.duration)
    finally:
        if server is not None:
            server.stop()
    print(report(result))
    if args.save:
        RESULTS.mkdir(parents=True, exist_ok=True)
        stamp = time.strftime("%Y%m%d-%H%M%S")
        record = asdict(result) | {
            "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.system()}",
            "python": platform.python_version(),
            "data": str(args.data or "data/"),
            "when": stamp,
        }
        (RESULTS / f"load-{stamp}.json").write_text(json.dumps(record, indent=2) + "\n")
    return 1 if result.errors else 0


if __name__ == "__main__":
    sys.exit(main())
