"""Real concurrency: a real server (two workers on PostgreSQL), several devices at once.

XP must never be lost or doubled when a learner answers and completes from two
devices at the same time, retries included.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from app.core.database import Database
from app.models import Attempt, League, LeagueMember, XpEvent
from tests.conftest import TEST_SECRET_KEY
from tests.learning_helpers import answer_id, import_demo, payloads, right_answer, wrong_answer

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "correct-horse-battery"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server(database_url: str, db: Database) -> Iterator[str]:
    import_demo(db)
    port = _free_port()
    workers = "1" if database_url.startswith("sqlite") else "2"
    env = {
        **os.environ,
        "GRADER_DATABASE_URL": database_url,
        "GRADER_SECRET_KEY": TEST_SECRET_KEY,
        "GRADER_PASSWORD_HASH_MEMORY_KIB": "1024",
        "GRADER_PASSWORD_HASH_TIME_COST": "1",
        "GRADER_LOGIN_ATTEMPTS_PER_CLIENT": "10000",
        "GRADER_LOAD_DEMO_COURSE": "false",
        "GRADER_REDIS_URL": "",
        "REDIS_URL": "",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "app.main:build", "--factory", "--port", str(port),
         "--workers", workers, "--log-level", "warning", "--no-access-log"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(base + "/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        assert process.poll() is None, "server exited"
        assert time.monotonic() < deadline, "server did not start in time"
        time.sleep(0.1)
    try:
        yield base
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def _sign_up(base: str, username: str) -> dict[str, str]:
    httpx.post(
        base + "/api/v1/auth/register",
        json={"email": f"{username}@example.com", "username": username, "password": PASSWORD},
    ).raise_for_status()
    reply = httpx.post(base + "/api/v1/auth/login", json={"login": username, "password": PASSWORD})
    reply.raise_for_status()
    return {"Authorization": f"Bearer {reply.json()['access_token']}"}


def _first_lesson(base: str, headers: dict[str, str]) -> int:
    course_id = httpx.get(base + "/api/v1/courses", headers=headers).json()["data"][0]["id"]
    tree = httpx.get(f"{base}/api/v1/courses/{course_id}/tree", headers=headers).json()
    return int(tree["current_lesson_id"])


def _ledger(db: Database) -> dict[int, int]:
    query = select(XpEvent.user_id, func.sum(XpEvent.amount)).group_by(XpEvent.user_id)
    return db.run_write(lambda s: {row[0]: int(row[1]) for row in s.execute(query)})


class TestTwoDevices:
    def test_answers_and_completions_raced_from_two_devices_count_once(
        self, server: str, db: Database
    ) -> None:
        headers = _sign_up(server, "ana")
        lesson = _first_lesson(server, headers)
        session = httpx.post(f"{server}/api/v1/lessons/{lesson}/sessions", headers=headers).json()
        answers = payloads(db, session["queue"])
        keys = {exercise_id: answer_id() for exercise_id in session["queue"]}
        first = session["queue"][0]

        def submit(exercise_id: int, answer: Any, key: str) -> httpx.Response:
            with httpx.Client(base_url=server, headers=headers, timeout=30) as client:
                return client.post(
                    f"/api/v1/sessions/{session['id']}/answers",
                    json={"exercise_id": exercise_id, "answer": answer, "client_answer_id": key},
                )

        with ThreadPoolExecutor(max_workers=8) as pool:
            # The first exercise: wrong, sent by both devices at once, each twice.
            raced = list(
                pool.map(
                    lambda _: submit(first, wrong_answer(answers[first]), keys[first]), range(4)
                )
            )
            assert {reply.status_code for reply in raced} == {200}
            assert len({reply.text for reply in raced}) == 1
            # Every other exercise right, each sent by two devices with the same key.
            rest = [*session["queue"][1:], first]
            retry_key = answer_id()
            replies = list(
                pool.map(
                    lambda item: submit(
                        item[0],
                        right_answer(answers[item[0]]),
                        retry_key if item[0] == first else keys[item[0]],
                    ),
                    [(e, device) for e in rest for device in range(2)],
                )
            )
        assert all(reply.status_code == 200 for reply in replies), [r.text for r in replies]

        def complete() -> httpx.Response:
            with httpx.Client(base_url=server, headers=headers, timeout=30) as client:
                return client.post(f"/api/v1/sessions/{session['id']}/complete")

        with ThreadPoolExecutor(max_workers=6) as pool:
            completions = list(pool.map(lambda _: complete(), range(6)))
        assert {reply.status_code for reply in completions} == {200}
        totals = {reply.json()["xp"]["total"] for reply in completions}
        assert len(totals) == 1
        total = totals.pop()
        progress = httpx.get(server + "/api/v1/users/me/progress", headers=headers).json()
        assert progress["xp_total"] == total == sum(_ledger(db).values())
        assert progress["hearts"]["hearts"] == 4  # one mistake, counted once
        attempts = db.run_write(lambda s: s.scalar(select(func.count()).select_from(Attempt)))
        assert attempts == len(session["queue"]) + 1


class TestManyLearners:
    def test_concurrent_learners_each_get_exactly_their_xp_and_one_seat(
        self, server: str, db: Database
    ) -> None:
        people = [_sign_up(server, f"learner{i}") for i in range(8)]
        lesson = _first_lesson(server, people[0])

        def play(headers: dict[str, str]) -> int:
            earned = 0
            with httpx.Client(base_url=server, headers=headers, timeout=30) as client:
                for _ in range(2):
                    session = client.post(f"/api/v1/lessons/{lesson}/sessions").json()
                    answers = payloads(db, session["queue"])
                    for exercise_id in session["queue"]:
                        reply = client.post(
                            f"/api/v1/sessions/{session['id']}/answers",
                            json={
                                "exercise_id": exercise_id,
                                "answer": right_answer(answers[exercise_id]),
                                "client_answer_id": answer_id(),
                            },
                        )
                        assert reply.status_code == 200, reply.text
                    done = client.post(f"/api/v1/sessions/{session['id']}/complete")
                    assert done.status_code == 200, done.text
                    earned += done.json()["xp"]["total"]
            return earned

        with ThreadPoolExecutor(max_workers=8) as pool:
            earned = list(pool.map(play, people))
        ledger = _ledger(db)
        assert sorted(ledger.values()) == sorted(earned)
        seats = db.run_write(lambda s: s.scalar(select(func.sum(League.size))))
        members = db.run_write(lambda s: s.scalar(select(func.count()).select_from(LeagueMember)))
        assert seats == members == len(people)
