"""Browser tests of the web client against a real server (a subprocess of run.py).

The server runs on a fresh SQLite file with cheap password hashing; run.py
migrates and imports the Spanish demo course. The browser is Debian's Chromium
driven by Playwright (its own browser download does not work offline).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.core.config import PROJECT_ROOT
from tests.environment import missing

playwright_sync = pytest.importorskip("playwright.sync_api")

CHROMIUM = os.environ.get("GRADER_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
OUTPUT = PROJECT_ROOT / "test-output" / "web"
PASSWORD = "zebra crossing 42"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class LiveServer:
    url: str
    db_path: Path

    @property
    def api(self) -> str:
        return f"{self.url}/api/v1"

    def db(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.db_path, timeout=10)
        conn.row_factory = sqlite3.Row
        return conn

    def sql(self, query: str, *args: Any) -> list[sqlite3.Row]:
        with self.db() as conn:
            rows = conn.execute(query, args).fetchall()
        conn.close()
        return rows

    def exercise(self, exercise_id: int) -> dict[str, Any]:
        row = self.sql("SELECT type, payload FROM exercise WHERE id = ?", exercise_id)[0]
        payload: dict[str, Any] = json.loads(row["payload"])
        return payload

    def register(self, prefix: str = "web", *, role: str | None = None) -> User:
        name = f"{prefix}{uuid.uuid4().hex[:8]}"
        email = f"{name}@example.com"
        reply = httpx.post(
            f"{self.api}/auth/register",
            json={"email": email, "username": name, "password": PASSWORD},
            timeout=10,
        )
        assert reply.status_code == 201, reply.text
        if role:
            self.sql("UPDATE user SET role = ? WHERE username = ?", role, name)
        return User(server=self, username=name, email=email, id=reply.json()["id"])


@dataclass
class User:
    server: LiveServer
    username: str
    email: str
    id: int
    tokens: dict[str, str] = field(default_factory=dict)

    def login(self) -> dict[str, str]:
        reply = httpx.post(
            f"{self.server.api}/auth/login",
            json={"login": self.username, "password": PASSWORD},
            timeout=10,
        )
        assert reply.status_code == 200, reply.text
        self.tokens = reply.json()
        return self.tokens

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        if not self.tokens:
            self.login()
        reply = httpx.request(
            method,
            f"{self.server.api}{path}",
            headers={"Authorization": f"Bearer {self.tokens['access_token']}"},
            timeout=30,
            **kwargs,
        )
        assert reply.status_code < 300, reply.text
        return reply.json() if reply.content else None


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    workdir = tmp_path_factory.mktemp("web-server")
    db_path = workdir / "web.db"
    port = _free_port()
    env = {
        **os.environ,
        "GRADER_DATABASE_URL": f"sqlite:///{db_path}",
        "GRADER_SECRET_KEY": "web-test-secret-key-0123456789-abcdefghijklmnop",
        "GRADER_PASSWORD_HASH_MEMORY_KIB": "1024",
        "GRADER_PASSWORD_HASH_TIME_COST": "1",
        "GRADER_LOGIN_ATTEMPTS_PER_CLIENT": "1000",
    }
    env.pop("GRADER_REDIS_URL", None)
    log = (workdir / "server.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "run.py", "--host", "127.0.0.1", "--port", str(port)],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the server exited: {(workdir / 'server.log').read_text()}")
            try:
                if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not start in 60 s")
            time.sleep(0.2)
        assert httpx.get(f"{url}/", timeout=5).status_code == 200, "web/index.html is not served"
        yield LiveServer(url=url, db_path=db_path)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        missing("Chromium is not installed (/usr/bin/chromium): run `make test` as root")
    with playwright_sync.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


class ConsoleWatch:
    """Collects console errors and uncaught page errors; tests may allow some patterns."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.allowed: list[str] = []

    def allow(self, *fragments: str) -> None:
        self.allowed.extend(fragments)

    def unexpected(self) -> list[str]:
        return [e for e in self.errors if not any(a in e for a in self.allowed)]


@pytest.fixture
def console() -> ConsoleWatch:
    return ConsoleWatch()


def _open_page(
    browser: Any, live_server: LiveServer, console: ConsoleWatch, **context_args: Any
) -> Any:
    context = browser.new_context(base_url=live_server.url, **context_args)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.on(
        "console",
        lambda msg: console.errors.append(f"console: {msg.text}") if msg.type == "error" else None,
    )
    page.on("pageerror", lambda error: console.errors.append(f"pageerror: {error}"))
    return page


@pytest.fixture
def page(browser: Any, live_server: LiveServer, console: ConsoleWatch) -> Iterator[Any]:
    """A desktop page (1280x800); the test fails on any console error it did not allow."""
    page = _open_page(browser, live_server, console, viewport={"width": 1280, "height": 800})
    yield page
    page.context.close()
    assert console.unexpected() == [], console.unexpected()


@pytest.fixture
def mobile_page(browser: Any, live_server: LiveServer, console: ConsoleWatch) -> Iterator[Any]:
    page = _open_page(
        browser,
        live_server,
        console,
        viewport={"width": 375, "height": 740},
        has_touch=True,
        is_mobile=True,
        device_scale_factor=1,
    )
    yield page
    page.context.close()
    assert console.unexpected() == [], console.unexpected()


@pytest.fixture
def shot() -> Any:
    """shot(page, "name") saves test-output/web/name.png."""
    OUTPUT.mkdir(parents=True, exist_ok=True)

    def take(page: Any, name: str, *, full_page: bool = False) -> Path:
        path = OUTPUT / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take
