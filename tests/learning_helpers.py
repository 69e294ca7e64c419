"""Helpers for playing lessons in tests: the demo course and the right answers."""

from __future__ import annotations

import re
import uuid
from dataclasses import replace
from typing import Any

import httpx
from sqlalchemy import select

from app.core.database import Database
from app.models import Exercise
from app.services import content_import
from app.services.librelingo import demo_course_path
from tests.factories import PASSWORD, Person

_INNERMOST_CHOICE = re.compile(r"\[([^\[\]]*)\]")


def first_sentence(grammar: str) -> str:
    """The sentence a grammar gives when every choice takes its first option."""
    while True:
        replaced = _INNERMOST_CHOICE.sub(lambda m: m.group(1).split("/")[0], grammar, count=1)
        if replaced == grammar:
            return " ".join(grammar.split())
        grammar = replaced


def right_answer(payload: dict[str, Any]) -> Any:
    kind = payload["type"]
    if kind in {"translate", "listen", "fill_blank"}:
        return first_sentence(payload["accepted"][0])
    if kind == "word_bank":
        return first_sentence(payload["accepted"][0]).split()
    if kind == "match_pairs":
        return [[pair["left"], pair["right"]] for pair in payload["pairs"]]
    if kind == "multiple_choice":
        return payload["correct_index"]
    raise AssertionError(kind)


def wrong_answer(payload: dict[str, Any]) -> Any:
    kind = payload["type"]
    if kind in {"translate", "listen", "fill_blank"}:
        return "zzzz qqqq"
    if kind == "word_bank":
        return ["zzzz"]
    if kind == "match_pairs":
        pairs = payload["pairs"]
        return [[pairs[0]["left"], pairs[1]["right"]], [pairs[1]["left"], pairs[0]["right"]]]
    if kind == "multiple_choice":
        return (payload["correct_index"] + 1) % len(payload["options"])
    raise AssertionError(kind)


def payloads(db: Database, exercise_ids: list[int]) -> dict[int, dict[str, Any]]:
    return db.run_write(
        lambda session: {
            row[0]: row[1]
            for row in session.execute(
                select(Exercise.id, Exercise.payload).where(Exercise.id.in_(exercise_ids))
            )
        }
    )


def import_demo(db: Database) -> int:
    outcome = content_import.import_folder(db, demo_course_path(), published=True)
    return outcome.course.id


def answer_id() -> str:
    return uuid.uuid4().hex


async def play_through(
    client: httpx.AsyncClient,
    db: Database,
    *,
    session: dict[str, Any],
    headers: dict[str, str],
) -> list[dict[str, Any]]:
    """Answer every exercise of a session correctly, in queue order."""
    answers = payloads(db, [exercise["id"] for exercise in session["exercises"]])
    replies = []
    queue = list(session["queue"])
    while queue:
        exercise_id = queue[0]
        reply = await client.post(
            f"/api/v1/sessions/{session['id']}/answers",
            json={
                "exercise_id": exercise_id,
                "answer": right_answer(answers[exercise_id]),
                "client_answer_id": answer_id(),
            },
            headers=headers,
        )
        assert reply.status_code == 200, reply.text
        replies.append(reply.json())
        assert reply.json()["correct"], (answers[exercise_id], reply.json())
        queue.pop(0)
    return replies


async def signed_in_again(client: httpx.AsyncClient, person: Person) -> Person:
    """A fresh access token, after the test clock moved past the old one's expiry."""
    reply = await client.post(
        "/api/v1/auth/login", json={"login": person.username, "password": PASSWORD}
    )
    assert reply.status_code == 200, reply.text
    token = reply.json()["access_token"]
    return replace(person, headers={"Authorization": f"Bearer {token}"})
