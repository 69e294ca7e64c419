"""Shared helpers for the HTTP benchmarks: start a server, load it with wrk, report ratios.

The machines are shared and noisy, so every figure is a ratio against a baseline
route measured in the same run, never an absolute number on its own.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    base_url: str
    process: subprocess.Popen[bytes]
    env: dict[str, str]


def bench_env(database_url: str | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("GRADER_SECRET_KEY", "bench-secret-key-" + "x" * 32)
    # Benchmarks measure request handling, not Argon2.
    env["GRADER_PASSWORD_HASH_MEMORY_KIB"] = "1024"
    env["GRADER_PASSWORD_HASH_TIME_COST"] = "1"
    env["GRADER_LOGIN_ATTEMPTS_PER_CLIENT"] = "100000"
    env["GRADER_LOAD_DEMO_COURSE"] = "false"
    if database_url:
        env["GRADER_DATABASE_URL"] = database_url
    return env


@contextlib.contextmanager
def temporary_database(backend: str) -> Iterator[str]:
    """A fresh, migrated database: a SQLite file, or a new PostgreSQL database."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{folder}/bench.db"
            migrate(url)
            yield url
        return
    base = os.environ.get("DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    name = f"grader_bench_{os.getpid()}"
    admin_url = base.rsplit("/", 1)[0] + "/postgres"
    from sqlalchemy import create_engine, text

    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = base.rsplit("/", 1)[0] + f"/{name}"
    try:
        migrate(url)
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def migrate(url: str) -> None:
    subprocess.run(
        [PYTHON, "-m", "app.cli", "migrate"],
        cwd=ROOT,
        env=bench_env(url),
        check=True,
        capture_output=True,
    )


@contextlib.contextmanager
def serve(
    app: str, *, env: dict[str, str], workers: int = 1, factory: bool = True
) -> Iterator[Server]:
    port = free_port()
    command = [
        PYTHON, "-m", "uvicorn", app, "--host", "127.0.0.1", "--port", str(port),
        "--workers", str(workers), "--no-access-log", "--log-level", "warning",
    ]  # fmt: skip
    if factory:
        command.append("--factory")
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(base_url + "/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"server {app} did not start")
            time.sleep(0.1)
        yield Server(base_url=base_url, process=process, env=env)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


@dataclass
class LoadResult:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int

    def row(self, label: str, baseline: LoadResult | None) -> str:
        ratio = (
            f"{self.requests_per_second / baseline.requests_per_second:6.1%}"
            if baseline
            else "  base"
        )
        return (
            f"{label:<44} {self.requests_per_second:9.0f} req/s  {ratio}  "
            f"p50 {self.p50_ms:6.1f} ms  p99 {self.p99_ms:6.1f} ms  errors {self.errors}"
        )


def _ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(us|ms|s|m)", value).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def wrk(
    url: str,
    *,
    seconds: int = 5,
    connections: int = 32,
    headers: dict[str, str] | None = None,
    script: Path | None = None,
) -> LoadResult:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed for the HTTP benchmarks: apt-get install wrk")
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    if script is not None:
        command += ["-s", str(script)]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    if "Requests/sec" not in output or re.search(r"50%\s+[\d.]+", output) is None:
        raise RuntimeError(f"wrk measured nothing for {url}:\n{output}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", output, re.MULTILINE).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", output, re.MULTILINE).group(1))  # type: ignore[union-attr]
    errors = 0
    for pattern in (
        r"Non-2xx or 3xx responses: (\d+)",
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
    ):
        match = re.search(pattern, output)
        if match:
            errors += sum(int(group) for group in match.groups())
    return LoadResult(rps, p50, p99, errors)


def register_and_login(base_url: str, *, username: str = "bench") -> str:
    password = "quick-brown-fox-42"
    httpx.post(
        base_url + "/api/v1/auth/register",
        json={"email": f"{username}@example.com", "username": username, "password": password},
    ).raise_for_status()
    reply = httpx.post(
        base_url + "/api/v1/auth/login", json={"login": username, "password": password}
    )
    reply.raise_for_status()
    return str(reply.json()["access_token"])
