"""Load test: signed-in clients over the main pages on gunicorn + PostgreSQL + Redis.

Starts gunicorn on the loopback (``--port``, default 8110) with production settings against the benchmark
database of ``national_db.py`` (the synthetic national file, imported), Django's Redis cache (``CACHE_URL``,
default ``redis://127.0.0.1:6379/11``, own key prefix) and cached_db sessions. A small asyncio client (one
connection per request, as gunicorn's sync workers close them) then runs, each for a bounded time:

1. throughput, ``--clients-throughput`` clients (default 8) for ``--seconds-throughput`` s each: the council
   scorecard page; the same bytes as a static file (written into STATIC_ROOT, served by whitenoise on the same
   server); and ``/healthz`` with a session cookie (an authenticated no-op). Reports requests/s and the ratio
   scorecard / static (goal ≥ 0.25);
2. ``--clients`` signed-in clients (default 50) for ``--seconds`` s (default 60) cycling over the main pages
   (council scorecards, region scorecard, compare, a measure page): errors (goal 0), p50 and p95 (goal < 1 s).

Every client is signed in as a user of its own (its own session, created through Django's session store),
so the viewer-keyed page cache renders each client's first view of each page in full. Loopback only; gunicorn is
stopped at the end.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sc_i11 .venv/bin/python benchmarks/load_test.py
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import national_db

ROOT = national_db.ROOT
HOST = "127.0.0.1"
STATIC_PAGE = "bench/scorecard.html"
COUNCILS = ["E08000025", "E08000026", "E08000035", "E08000003", "E06000019", "E10000028", "E09000007"]


def main_pages() -> list[str]:
    pages = [f"/councils/{gss}/scorecard/" for gss in COUNCILS]
    pages += [
        "/regions/E12000005/scorecard/",
        "/compare/?councils=Birmingham&councils=Leeds&councils=Manchester",
        "/measures/ascof-2023-2c/",
    ]
    return pages


async def fetch(port: int, path: str, cookie: str) -> tuple[int, int, float]:
    """(status, body bytes, seconds) of one GET on a new connection."""
    started = time.perf_counter()
    reader, writer = await asyncio.open_connection(HOST, port)
    request = f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n"
    if cookie:
        request += f"Cookie: sessionid={cookie}\r\n"
    writer.write((request + "\r\n").encode())
    await writer.drain()
    data = await reader.read()
    writer.close()
    elapsed = time.perf_counter() - started
    status = int(data[9:12]) if data[:5] == b"HTTP/" else 0
    body = len(data.partition(b"\r\n\r\n")[2])
    return status, body, elapsed


async def run_clients(
    port: int, *, paths: list[str], cookies: list[str], seconds: float
) -> list[tuple[str, int, float]]:
    """Each client requests ``paths`` in turn (starting at a different one) until time is up."""
    deadline = time.perf_counter() + seconds
    results: list[tuple[str, int, float]] = []

    async def client(index: int) -> None:
        step = index
        while time.perf_counter() < deadline:
            path = paths[step % len(paths)]
            step += 1
            try:
                status, _, elapsed = await fetch(port, path, cookies[index % len(cookies)])
            except OSError:
                status, elapsed = 0, 0.0
            results.append((path, status, elapsed))

    await asyncio.gather(*(client(i) for i in range(len(cookies))))
    return results


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def sessions(count: int) -> list[str]:
    """``count`` signed-in sessions, each of a user of its own (pages are kept per user, so every client's
    first view of each page is rendered in full), stored as the server will read them."""
    from django.test import Client

    keys = []
    for number in range(count):
        client = Client()
        client.force_login(national_db.bench_user(number))
        keys.append(client.cookies["sessionid"].value)
    return keys


def start_gunicorn(port: int, workers: int, env: dict[str, str]) -> subprocess.Popen:
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "config.wsgi:application",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--backlog",
        "512",
        "--timeout",
        "60",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    for _ in range(100):
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/healthz", timeout=2) as response:
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def stop(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)


def forget_keys(url: str, prefix: str) -> None:
    """Delete this run's keys (sessions, cached reads) from the Redis it used, and nothing else."""
    if not url.startswith(("redis://", "rediss://")):
        return
    import redis

    client = redis.Redis.from_url(url)
    for key in client.scan_iter(match=f"{prefix}:*", count=1000):
        client.delete(key)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8110)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients-throughput", type=int, default=8)
    parser.add_argument("--seconds-throughput", type=float, default=15)
    args = parser.parse_args()

    national_db.configure()
    os.environ.setdefault("CACHE_URL", "redis://127.0.0.1:6379/11")
    os.environ.setdefault("CACHE_KEY_PREFIX", f"loadtest-{os.getpid()}")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    summary = national_db.ensure_loaded()
    cookies = sessions(args.clients)
    page = Client()
    page.cookies["sessionid"] = cookies[0]
    body = page.get(f"/councils/{COUNCILS[0]}/scorecard/").content
    static_file = Path(settings.STATIC_ROOT) / STATIC_PAGE
    static_file.parent.mkdir(parents=True, exist_ok=True)
    static_file.write_bytes(body)  # whitenoise indexes STATIC_ROOT when the server starts
    connection.close()

    print(
        f"Load test on gunicorn ({args.workers} sync workers) + {connection.vendor} + {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}: {summary}"
    )
    print(national_db.machine())
    server = start_gunicorn(args.port, args.workers, dict(os.environ))
    try:
        scorecard = f"/councils/{COUNCILS[0]}/scorecard/"
        rates = {}
        for name, path, cookie in (
            ("static file, same bytes", f"/static/{STATIC_PAGE}", ""),
            ("council scorecard", scorecard, None),
            ("/healthz, signed in", "/healthz", None),
        ):
            warm = asyncio.run(run_clients(args.port, paths=[path], cookies=cookies[:2], seconds=1))
            assert all(status == 200 for _, status, _ in warm), f"{path}: {warm[:3]}"
            results = asyncio.run(
                run_clients(
                    args.port,
                    paths=[path],
                    cookies=[cookie] * args.clients_throughput
                    if cookie == ""
                    else cookies[: args.clients_throughput],
                    seconds=args.seconds_throughput,
                )
            )
            ok = [r for r in results if r[1] == 200]
            rates[name] = len(ok) / args.seconds_throughput
            print(
                f"  throughput {name:<26} {rates[name]:>8.1f} requests/s  ({len(results) - len(ok)} errors)"
            )
        ratio = rates["council scorecard"] / rates["static file, same bytes"]
        print(f"  scorecard / static file: {ratio:.3f}× (goal ≥ 0.25×); bytes per page {len(body):,}")

        results = asyncio.run(
            run_clients(args.port, paths=main_pages(), cookies=cookies, seconds=args.seconds)
        )
        errors = [r for r in results if r[1] != 200]
        times = [r[2] for r in results if r[1] == 200]
        print(
            f"  {args.clients} clients × {args.seconds:.0f} s over {len(main_pages())} pages: {len(results):,} requests, "
            f"{len(results) / args.seconds:.1f}/s, errors {len(errors)} (goal 0), "
            f"p50 {statistics.median(times):.3f} s, p95 {percentile(times, 0.95):.3f} s (goal < 1 s), "
            f"p95/goal {percentile(times, 0.95) / 1.0:.2f}×"
        )
        by_page: dict[str, list[float]] = {}
        for path, status, elapsed in results:
            if status == 200:
                by_page.setdefault(path.strip("/").split("/")[0].split("?")[0], []).append(elapsed)
        for kind, values in by_page.items():
            print(
                f"    {kind:<10} {len(values):>6} requests, p50 {statistics.median(values):.3f} s, p95 {percentile(values, 0.95):.3f} s"
            )
        if errors:
            print(f"  first errors: {errors[:5]}")
    finally:
        stop(server)
        static_file.unlink(missing_ok=True)
        forget_keys(os.environ["CACHE_URL"], os.environ["CACHE_KEY_PREFIX"])
    print(national_db.machine())
    return 0


if __name__ == "__main__":
    sys.exit(main())
