"""The learning loop's two hot paths under load, as ratios of ``/health`` in the same run:

* fetching a lesson session (``GET /api/v1/sessions/{id}``: exercises without answers + state)
* submitting an answer (``POST /api/v1/sessions/{id}/answers``: grade, record, update state)

SQLite with one worker, PostgreSQL with two; 32 learners on 32 connections. After the
run every session is completed and the XP ledger is checked against the replies.

    python bench/bench_learning.py [--backends sqlite,postgresql] [--seconds 5]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import uuid
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.core.database import Database
from app.models import Exercise
from app.services import content_import
from app.services.librelingo import demo_course_path
from bench.common import bench_env, serve, temporary_database, wrk
from tests.learning_helpers import right_answer

LEARNERS = 32
PASSWORD = "quick-brown-fox-42"

ROTATE_SCRIPT = """
local requests = {%s}
local next_index = 0
request = function()
  next_index = next_index %% #requests + 1
  local r = requests[next_index]
  return wrk.format(r[1], r[2], {["Authorization"] = "Bearer " .. r[3],
                                 ["Content-Type"] = "application/json"}, r[4])
end
"""


def _lua(value: str) -> str:
    return json.dumps(value)  # a JSON string literal is a valid Lua string literal here


def _script(requests: list[tuple[str, str, str, str | None]]) -> Path:
    rows = ",\n".join(
        f"{{{_lua(method)}, {_lua(path)}, {_lua(token)}, {_lua(body) if body else 'nil'}}}"
        for method, path, token, body in requests
    )
    handle = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)  # noqa: SIM115
    handle.write(ROTATE_SCRIPT % rows)
    handle.close()
    return Path(handle.name)


def _sign_up(client: httpx.Client, index: int) -> str:
    name = f"learner{index}"
    client.post(
        "/api/v1/auth/register",
        json={"email": f"{name}@example.com", "username": name, "password": PASSWORD},
    ).raise_for_status()
    reply = client.post("/api/v1/auth/login", json={"login": name, "password": PASSWORD})
    reply.raise_for_status()
    return str(reply.json()["access_token"])


def run_backend(backend: str, *, seconds: int, answers_needed: int) -> None:
    workers = 1 if backend == "sqlite" else 2
    print(f"\n## {backend}, {workers} worker(s), wrk -t1 -c{LEARNERS} -d{seconds}s")
    with temporary_database(backend) as url:
        db = Database(url, pool_size=2)
        content_import.import_folder(db, demo_course_path(), published=True)
        payloads = db.run_write(
            lambda s: {row[0]: row[1] for row in s.execute(select(Exercise.id, Exercise.payload))}
        )
        env = bench_env(url)
        with (
            serve("app.main:build", env=env, workers=workers) as server,
            httpx.Client(base_url=server.base_url, timeout=60) as client,
        ):
            tokens = [_sign_up(client, index) for index in range(LEARNERS)]
            headers = [{"Authorization": f"Bearer {token}"} for token in tokens]
            course_id = client.get("/api/v1/courses", headers=headers[0]).json()["data"][0]["id"]
            tree = client.get(f"/api/v1/courses/{course_id}/tree", headers=headers[0]).json()
            lesson = tree["current_lesson_id"]

            sessions: list[tuple[int, dict[str, Any]]] = []
            while sum(len(s["queue"]) for _, s in sessions) < answers_needed:
                who = len(sessions) % LEARNERS
                reply = client.post(f"/api/v1/lessons/{lesson}/sessions", headers=headers[who])
                reply.raise_for_status()
                sessions.append((who, reply.json()))

            fetches = _script(
                [
                    ("GET", f"/api/v1/sessions/{s['id']}", tokens[who], None)
                    for who, s in sessions[:LEARNERS]
                ]
            )
            # One session per learner at a time, answered position by position, so the
            # 32 requests in flight come from 32 learners and each group finishes whole.
            by_position: list[tuple[str, str, str, str | None]] = []
            for start in range(0, len(sessions), LEARNERS):
                group = sessions[start : start + LEARNERS]
                longest = max(len(s["queue"]) for _, s in group)
                for position, (who, session) in (
                    (p, pair) for p in range(longest) for pair in group
                ):
                    if position < len(session["queue"]):
                        exercise_id = session["queue"][position]
                        body = json.dumps(
                            {
                                "exercise_id": exercise_id,
                                "answer": right_answer(payloads[exercise_id]),
                                "client_answer_id": uuid.uuid4().hex,
                            }
                        )
                        by_position.append(
                            ("POST", f"/api/v1/sessions/{session['id']}/answers", tokens[who], body)
                        )
            answers = _script(by_position)

            health = wrk(server.base_url + "/health", seconds=seconds)
            fetch = wrk(server.base_url + "/health", seconds=seconds, script=fetches)
            submit = wrk(server.base_url + "/health", seconds=seconds, script=answers)
            submitted = round(submit.requests_per_second * seconds)

            # Account for every XP point: complete every finished session, compare.
            earned = 0
            for who, session in sessions:
                done = client.post(
                    f"/api/v1/sessions/{session['id']}/complete", headers=headers[who]
                )
                if done.status_code == 200:
                    earned += done.json()["xp"]["total"]
            ledger = sum(
                client.get("/api/v1/users/me/progress", headers=h).json()["xp_total"]
                for h in headers
            )
        db.dispose()
    print(health.row("/health (baseline)", None))
    print(fetch.row("GET /sessions/{id} (fetch a lesson session)", health))
    print(submit.row("POST /sessions/{id}/answers (grade + record)", health))
    ran_out = submitted > len(by_position)
    print(
        f"answers prepared {len(by_position)}, sent ≈{submitted}"
        f"{' (ran out: later ones were idempotent replays)' if ran_out else ''}; "
        f"XP from completions {earned}, in the ledger {ledger}: "
        f"{'every point accounted for' if earned == ledger else 'MISMATCH'}"
    )
    if earned != ledger:
        raise SystemExit("XP ledger does not match the completions")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    has_pg = os.environ.get("DATABASE_URL", "").startswith("postgres")
    parser.add_argument("--backends", default="sqlite,postgresql" if has_pg else "sqlite")
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--answers", type=int, default=6000)
    args = parser.parse_args()
    for backend in args.backends.split(","):
        run_backend(backend, seconds=args.seconds, answers_needed=args.answers)


if __name__ == "__main__":
    main()
