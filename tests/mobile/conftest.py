"""Headless Kivy against a live grader server.

The server runs as a subprocess (``run.py``) on a free port with its own SQLite
file. Kivy draws into SDL2's ``offscreen`` video driver (EGL through Mesa), so no
X server or DISPLAY is needed; the window is created once per session, before
anything imports the app, with Kivy's config and logs kept in a temporary
``KIVY_HOME``. Widgets are driven with real touch events
(:class:`kivy.tests.common.UnitTestTouch`) and the event loop is pumped by hand.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-output" / "kivy"
PASSWORD = "correct horse battery"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    def __init__(self, url: str, db_path: Path) -> None:
        self.url = url
        self.api = f"{url}/api/v1"
        self.db_path = db_path

    def db(self) -> sqlite3.Connection:
        return sqlite3.connect(self.db_path)

    def register(self, prefix: str = "kv") -> dict[str, str]:
        name = f"{prefix}{uuid.uuid4().hex[:8]}"
        user = {"email": f"{name}@example.com", "username": name, "password": PASSWORD}
        reply = httpx.post(f"{self.api}/auth/register", json=user)
        assert reply.status_code == 201, reply.text
        return user

    def headers(self, user: dict[str, str]) -> dict[str, str]:
        reply = httpx.post(
            f"{self.api}/auth/login", json={"login": user["username"], "password": PASSWORD}
        )
        assert reply.status_code == 200, reply.text
        return {"Authorization": f"Bearer {reply.json()['access_token']}"}

    def progress(self, user: dict[str, str]) -> dict[str, Any]:
        reply = httpx.get(f"{self.api}/users/me/progress", headers=self.headers(user))
        assert reply.status_code == 200, reply.text
        return reply.json()  # type: ignore[no-any-return]

    def payload(self, exercise_id: int) -> dict[str, Any]:
        with self.db() as conn:
            row = conn.execute(
                "SELECT payload FROM exercise WHERE id = ?", (exercise_id,)
            ).fetchone()
        return json.loads(row[0])  # type: ignore[no-any-return]


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("mobile-server")
    port = _free_port()
    env = {
        **os.environ,
        "GRADER_DATABASE_URL": f"sqlite:///{folder / 'm.db'}",
        "GRADER_SECRET_KEY": "mobile-tests-secret-key-0123456789-abcdefghij",
        "GRADER_PASSWORD_HASH_MEMORY_KIB": "1024",
        "GRADER_PASSWORD_HASH_TIME_COST": "1",
        "GRADER_LOGIN_ATTEMPTS_PER_CLIENT": "1000",
    }
    log = (folder / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "run.py", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"server did not start: {(folder / 'server.log').read_text()}")
        time.sleep(0.1)
    try:
        yield Server(url, folder / "m.db")
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def _first_reading(grammar: str) -> str:
    """The first sentence an accepted-answer grammar produces (`[the /]cat` -> `the cat`)."""
    return " ".join(_first_option(grammar).split())


def _first_option(grammar: str) -> str:
    out, i = [], 0
    while i < len(grammar):
        char = grammar[i]
        if char != "[":
            out.append(char)
            i += 1
            continue
        depth, j, options, start = 1, i + 1, [], i + 1
        while depth:
            if grammar[j] == "[":
                depth += 1
            elif grammar[j] == "]":
                depth -= 1
            elif grammar[j] == "/" and depth == 1:
                options.append(grammar[start:j])
                start = j + 1
            j += 1
        options.append(grammar[start : j - 1])
        out.append(_first_option(options[0]))
        i = j
    return "".join(out)


@pytest.fixture(scope="session")
def first_reading() -> Callable[[str], str]:
    return _first_reading


@pytest.fixture(scope="session")
def course(server: Server) -> dict[str, Any]:
    """A published course with one lesson holding one exercise of each type."""
    author = server.register("author")
    with server.db() as conn:
        conn.execute("UPDATE user SET role = 'author' WHERE username = ?", (author["username"],))
    headers = server.headers(author)

    def post(path: str, body: dict[str, Any]) -> dict[str, Any]:
        reply = httpx.post(f"{server.api}{path}", json=body, headers=headers)
        assert reply.status_code == 201, reply.text
        return reply.json()  # type: ignore[no-any-return]

    created = post(
        "/courses",
        {
            "slug": f"kivy-{uuid.uuid4().hex[:6]}",
            "title": "Kivy Spanish",
            "target_language": "es",
            "target_language_name": "Spanish",
            "source_language": "en",
            "source_language_name": "English",
            "special_characters": ["á", "é", "ñ", "¿"],
            "published": True,
        },
    )
    unit = post(f"/courses/{created['id']}/units", {"title": "Basics"})
    lesson = post(f"/units/{unit['id']}/lessons", {"title": "Animals"})
    payloads = [
        {"type": "multiple_choice", "prompt": "the dog",
         "options": [{"text": "el gato"}, {"text": "el perro"}, {"text": "el oso"}],
         "correct_index": 1},
        {"type": "match_pairs", "pairs": [{"left": "perro", "right": "dog"},
         {"left": "gato", "right": "cat"}, {"left": "oso", "right": "bear"}]},
        {"type": "word_bank", "prompt": "the black cat", "prompt_language": "en",
         "answer_language": "es", "tiles": ["negro", "el", "perro", "gato"],
         "accepted": ["el gato negro"]},
        {"type": "listen", "text": "el oso", "language": "es", "accepted": ["el oso"]},
        {"type": "fill_blank", "prompt": "el ___ come", "accepted": ["niño"],
         "translation": "the boy eats"},
        {"type": "translate", "prompt": "the black dog", "prompt_language": "en",
         "answer_language": "es", "accepted": ["[el /]perro negro"]},
    ]  # fmt: skip
    for payload in payloads:
        post(f"/lessons/{lesson['id']}/exercises", {"payload": payload})
    return {"id": created["id"], "title": created["title"], "lesson_id": lesson["id"]}


# -- Kivy ------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def window(tmp_path_factory: pytest.TempPathFactory) -> Any:
    home = tmp_path_factory.mktemp("kivy-home")
    os.environ.update(
        KIVY_NO_ARGS="1",
        KIVY_NO_CONSOLELOG="1",
        KIVY_NO_FILELOG="1",
        KIVY_HOME=str(home),
        KIVY_WINDOW="sdl2",
        KIVY_METRICS_DENSITY="1",
        SDL_VIDEODRIVER="offscreen",
        SDL_AUDIODRIVER="dummy",
    )
    from kivy.config import Config

    Config.set("graphics", "width", "420")
    Config.set("graphics", "height", "760")
    Config.set("input", "mouse", "")  # no desktop mouse provider: touches come from the tests
    from kivy.base import EventLoop

    EventLoop.ensure_window()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return EventLoop.window


class Driver:
    """Runs a GraderApp inside the test: pump the loop, tap widgets, take screenshots."""

    def __init__(self, app: Any) -> None:
        self.app = app

    def pump(self, frames: int = 2) -> None:
        from kivy.base import EventLoop

        for _ in range(frames):
            EventLoop.idle()

    def wait(self, condition: Callable[[], Any], timeout: float = 15.0, what: str = "") -> Any:
        deadline = time.monotonic() + timeout
        while True:
            self.pump(1)
            value = condition()
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"timed out waiting for {what or condition}; "
                    f"screen={self.app.manager.current} message={self.app.state.message!r}"
                )
            time.sleep(0.01)

    def tap(self, widget: Any) -> None:
        """A real touch down and up at the widget's centre, through the window."""
        from kivy.tests.common import UnitTestTouch

        self.pump(2)  # layout first, so the widget is where it will be drawn
        assert not widget.disabled, f"{widget} is disabled"
        x, y = widget.to_window(*widget.center)
        touch = UnitTestTouch(x, y)
        touch.touch_down()
        self.pump(1)
        touch.touch_up()
        self.pump(2)

    def type_into(self, text_input: Any, text: str) -> None:
        self.tap(text_input)
        text_input.text = ""
        text_input.insert_text(text)
        self.pump(1)

    def screen(self, name: str | None = None) -> Any:
        return self.app.manager.get_screen(name or self.app.manager.current)

    def on_screen(self, name: str, timeout: float = 15.0) -> Any:
        self.wait(lambda: self.app.manager.current == name, timeout, what=f"screen {name}")
        self.pump(2)
        return self.screen(name)

    def screenshot(self, name: str) -> Path:
        self.pump(3)
        path = SCREENSHOTS / f"kivy-{name}.png"
        self.app.root.export_to_png(str(path))
        return path


@pytest.fixture
def launch(window: Any, server: Server, tmp_path: Path) -> Iterator[Callable[..., Driver]]:
    from kivy.app import App
    from kivy.clock import Clock

    from mobile.app import GraderApp

    started: list[Any] = []

    def start(data_dir: Path | None = None, url: str | None = None) -> Driver:
        app = GraderApp(server_url=url or server.url, data_dir=data_dir or tmp_path / "app")
        app._run_prepare()
        started.append(app)
        driver = Driver(app)
        driver.pump(3)
        return driver

    yield start
    for app in started:
        Clock.unschedule(app._auto_sync)
        app.dispatch("on_stop")
        if app.root is not None and app.root.parent is not None:
            window.remove_widget(app.root)
        App._running_app = None
