"""The learning loop through the HTTP API: lessons, answers, XP, streaks, hearts, practice."""

from __future__ import annotations

import asyncio
import os
import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from app.core.database import Database
from app.main import create_app
from app.models import Attempt, XpEvent
from tests.conftest import FrozenClock
from tests.environment import missing
from tests.factories import Person, make_admin, make_author, make_learner
from tests.learning_helpers import (
    answer_id,
    import_demo,
    payloads,
    play_through,
    right_answer,
    signed_in_again,
    wrong_answer,
)


@pytest.fixture
async def course_id(db: Database) -> int:
    return import_demo(db)


async def _tree(client: httpx.AsyncClient, person: Person, course_id: int) -> dict[str, Any]:
    reply = await client.get(f"/api/v1/courses/{course_id}/tree", headers=person.headers)
    assert reply.status_code == 200, reply.text
    return dict(reply.json())


async def _start(client: httpx.AsyncClient, person: Person, lesson_id: int) -> dict[str, Any]:
    reply = await client.post(f"/api/v1/lessons/{lesson_id}/sessions", headers=person.headers)
    assert reply.status_code == 201, reply.text
    return dict(reply.json())


async def _answer(
    client: httpx.AsyncClient,
    person: Person,
    session: dict[str, Any],
    exercise_id: int,
    answer: Any,
    key: str | None = None,
) -> httpx.Response:
    return await client.post(
        f"/api/v1/sessions/{session['id']}/answers",
        json={"exercise_id": exercise_id, "answer": answer, "client_answer_id": key or answer_id()},
        headers=person.headers,
    )


async def _start_with(
    client: httpx.AsyncClient, db: Database, person: Person, lesson_id: int, kind: str
) -> tuple[dict[str, Any], int]:
    """A session holding an exercise of ``kind`` (sessions draw exercises at random)."""
    for _ in range(30):
        session = await _start(client, person, lesson_id)
        answers = payloads(db, session["queue"])
        found = [i for i in session["queue"] if answers[i]["type"] == kind]
        if found:
            return session, found[0]
    raise AssertionError(f"no {kind} exercise in 30 sessions")


async def _first_lesson(client: httpx.AsyncClient, person: Person, course_id: int) -> int:
    return int((await _tree(client, person, course_id))["current_lesson_id"])


async def _complete_lesson(
    client: httpx.AsyncClient, db: Database, person: Person, lesson_id: int
) -> dict[str, Any]:
    session = await _start(client, person, lesson_id)
    await play_through(client, db, session=session, headers=person.headers)
    reply = await client.post(f"/api/v1/sessions/{session['id']}/complete", headers=person.headers)
    assert reply.status_code == 200, reply.text
    return dict(reply.json())


def _ledger_total(db: Database, user_id: int) -> int:
    return int(
        db.run_write(
            lambda s: s.scalar(
                select(func.coalesce(func.sum(XpEvent.amount), 0)).where(XpEvent.user_id == user_id)
            )
        )
    )


class TestPlayAWholeLesson:
    async def test_a_learner_plays_the_first_demo_lesson_like_a_person_would(
        self, client: httpx.AsyncClient, db: Database, course_id: int
    ) -> None:
        ana = await make_learner(client, db, username="ana")
        tree = await _tree(client, ana, course_id)
        assert tree["units"][0]["lessons"][0]["state"] == "available"
        assert tree["units"][0]["lessons"][1]["state"] == "locked"
        lesson_id = tree["current_lesson_id"]

        # Sessions draw exercises at random: take one with a word long enough for a typo.
        for _ in range(20):
            session = await _start(client, ana, lesson_id)
            answers = payloads(db, session["queue"])
            text_ids = [i for i in session["queue"] if answers[i]["type"] == "translate"]
            typo_ids = [
                i for i in text_ids if len(max(right_answer(answers[i]).split(), key=len)) >= 5
            ]
            if typo_ids and len(text_ids) >= 2:
                break
        assert "accepted" not in str(session)
        assert "correct_index" not in str(session)
        typo_id = typo_ids[0]
        wrong_id = next(i for i in text_ids if i != typo_id)

        seen_wrong = False
        queue = list(session["queue"])
        while queue:
            exercise_id = queue.pop(0)
            payload = answers[exercise_id]
            answer = right_answer(payload)
            if exercise_id == typo_id:
                # A doubled letter in a long word: forgiven, and marked.
                answer = max(answer.split(), key=len)
                longest = answer
                answer = right_answer(payload).replace(longest, longest + longest[-1])
            if exercise_id == wrong_id and not seen_wrong:
                answer, seen_wrong = wrong_answer(payload), True
            reply = await _answer(client, ana, session, exercise_id, answer)
            assert reply.status_code == 200, reply.text
            body = reply.json()
            if exercise_id == typo_id:
                assert body["correct"] is True
                assert body["verdict"]["kind"] == "typo"
                assert "typo" in {token["status"] for token in body["verdict"]["diff"]}
            if body["will_repeat"]:
                assert exercise_id == wrong_id
                assert body["correct"] is False
                assert body["solution"]["text"]
                assert body["state"]["hearts"]["hearts"] == 4
                queue.append(exercise_id)
        assert seen_wrong

        done = await client.post(f"/api/v1/sessions/{session['id']}/complete", headers=ana.headers)
        assert done.status_code == 200, done.text
        result = done.json()
        assert result["xp"]["base"] == 10
        assert result["xp"]["perfect_bonus"] == 0  # one mistake
        assert result["xp"]["total"] == 10 + result["xp"]["combo_bonus"]
        assert result["streak"]["length"] == 1
        assert result["streak"]["extended_today"] is True
        assert result["hearts"]["hearts"] == 4
        assert result["mistakes"] == 1
        assert result["daily_goal"]["xp_today"] == result["xp"]["total"]

        progress = (await client.get("/api/v1/users/me/progress", headers=ana.headers)).json()
        assert progress["xp_total"] == result["xp"]["total"] == _ledger_total(db, ana.id)
        assert progress["streak"]["length"] == 1
        assert progress["hearts"]["hearts"] == 4
        assert progress["hearts"]["next_refill_at"] is not None
        assert progress["courses"][0]["lessons_completed"] == 1
        assert progress["courses"][0]["next_lesson"]["id"] != lesson_id

        tree = await _tree(client, ana, course_id)
        assert tree["units"][0]["lessons"][0]["state"] == "completed"
        assert tree["units"][0]["lessons"][1]["state"] == "available"
        assert tree["enrolled"] is True

        board = (await client.get("/api/v1/leaderboard", headers=ana.headers)).json()
        assert board["joined"] is True
        assert board["your_rank"] == 1
        assert board["standings"][0]["xp"] == result["xp"]["total"]

    async def test_a_perfect_lesson_earns_the_bonus(
        self, client: httpx.AsyncClient, db: Database, course_id: int
    ) -> None:
        ana = await make_learner(client, db, username="ana")
        result = await _complete_lesson(
            client, db, ana, await _first_lesson(client, ana, course_id)
        )
        assert result["xp"]["perfect_bonus"] == 5
        assert result["xp"]["combo_bonus"] >= 2  # 12 right in a row
        assert result["xp"]["total"] == 15 + result["xp"]["combo_bonus"]


class TestIdempotency:
    async def test_retry_with_the_same_key_returns_the_first_reply_and_counts_once(
        self, client: httpx.AsyncClient, db: Database, course_id: int
    ) -> None:
        ana = await make_learner(client, db, username="ana")
        session = await _start(client, ana, await _first_lesson(client, ana, course_id))
        exercise_id = session["queue"][0]
        wrong = wrong_answer(payloads(db, [exercise_id])[exercise_id])
        first = await _answer(client, ana, session, exercise_id, wrong, key="same-key-123")
        again = await _answer(client, ana, session, exercise_id, wrong, key="same-key-123")
        assert first.json() == again.json()
        assert again.json()["state"]["hearts"]["hearts"] == 4
        attempts = db.run_write(
            lambda s: s.scalar(
                select(func.count()).select_from(Attempt).where(Attempt.user_id == ana.id)
            )
        )
        assert attempts == 1

    async def test_concurrent_retries_count_once(
        self, client: httpx.AsyncClient, db: Database, course_id: int
    ) -> None:
        ana = await make_learner(client, db, username="ana")
        session = await _start(client, ana, await _first_lesson(client, ana, course_id))
        exercise_id = session["queue"][0]
        wrong = wrong_answer(payloads(db, [exercise_id])[exercise_id])
        replies = await asyncio.gather(
            *(
                _answer(client, ana, session, exercise_id, wrong, key="raced-key-1")
                for _ in range(6)
            )
        )
        assert {reply.status_code for reply in replies} == {200}
        assert len({reply.text for reply in replies}) == 1
        state = (await client.get(f"/api/v1/sessions/{session['id']}", headers=ana.headers)).json()
        assert state["state"]["mistakes"] == 1
        assert state["state"]["hearts"]["hearts"] == 4

    async def test_a_key_reused_for_another_exercise_is_refused(
        self, client: httpx.AsyncClient, db: Database, course_id: int
    ) -> None:
        ana = await make_learner(client, db, username="ana")
        session = await _start(client, ana, await _first_lesson(client, ana, course_id))
        first, second = session["queue"][:2]
        answers = payloads(db, [first, second])
        await _answer(client, ana, session, first, right_answer(answers[first]), key="k-12345678")
        reply = await _answer(
            client, ana, session, second, right_answer(answers[second]), key="k-12345678"
        )
        assert reply.status_code == 409
        assert reply.json()["error"]["code"] == "client_answer_id_reused"

    async def test_completing_twice_awards_once(
        self, client: httpx.AsyncClient, db: Database, course_id: int
    ) -> None:
        ana = await make_learner(client, db, username="ana")
        session = await _start(client, ana, await _first_lesson(client, ana, course_id))
        await play_through(client, db, session=session, headers=ana.headers)
        url = f"/api/v1/sessions/{session['id']}/complete"
        replies = await asyncio.gather(*(client.post(url, headers=ana.headers) for _ in range(4)))
        assert {reply.status_code for reply in replies} == {200}
        assert len({reply.text for reply in replies}) == 1
        assert _ledger_total(db, ana.id) == replies[0].json()["xp"]["total"]


class TestRefusals:
    async def test_completing_an_unfinished_session_is_refused(
        self, client: httpx.AsyncClient, db: Database, course_id: int
    ) -> None:
        ana = await make_learner(client, db, username="ana")
        session = await _start(client, ana, await _first_lesson(client, ana, course_id))
        reply = await client.post(f"/api/v1/sessions/{session['id']}/complete", headers=ana.headers)
        assert reply.status_code == 409
        assert reply.json()["error"]["code"] == "session_not_finished"
        assert reply.json()["error"]["details"]["remaining"] == len(session["queue"])

    async def test_another_learners_session_is_invisible(
        self, client: httpx.AsyncClient, db: Database, course_id: int
    ) -> None:
        ana = await make_learner(client, db, username="ana")
        bob = await make_learner(client, db, username="bob")
        session = await _start(client, ana, await _first_lesson(client, ana, course_id))
        exercise_id = session["queue"][0]
        answer = right_answer(payloads(db, [exercise_id])[exercise_id])
        assert (await _answer(client, bob, session, exercise_id, answer)).status_code == 404
        assert (
            await client.get(f"/api/v1/sessions/{session['id']}", headers=bob.headers)
        ).status_code == 404
        assert (
            await client.post(f"/api/v1/sessions/{session['id']}/complete", headers=bob.headers)
        ).status_code == 404

    async def test_answers_to_a_finished_session_are_refused(
        self, client: httpx.AsyncClient, db: Database, course_id: int
    ) -> None:
        ana = await make_learner(client, db, username="ana")
        session = await _start(client, ana, await _first_lesson(client, ana, course_id))
        await play_through(client, db, session=session, headers=ana.headers)
        await client.post(f"/api/v1/sessions/{session['id']}/complete", headers=ana.headers)
        exercise_id = session["exercises"][0]["id"]
        reply = await _answer(client, ana, session, exercise_id, "anything")
        assert reply.status_code == 409
        assert reply.json()["error"]["code"] == "session_finished"

    async def test_answers_to_an_expired_session_are_refused(
        self, client: httpx.AsyncClient, db: Database, course_id: int, clock: FrozenClock
    ) -> None:
        ana = await make_learner(client, db, username="ana")
        session = await _start(client, ana, await _first_lesson(client, ana, course_id))
        clock.advance(hours=25)
        ana = await signed_in_again(client, ana)
        reply = await _answer(client, ana, session, session["queue"][0], "x")
        assert reply.status_code == 409
        assert reply.json()["error"]["code"] == "session_expired"

    async def test_an_exercise_not_waiting_in_the_session_is_refused(
        self, client: httpx.AsyncClient, db: Database, course_id: int
    ) -> None:
        ana = await make_learner(client, db, username="ana")
        session = await _start(client, ana, await _first_lesson(client, ana, course_id))
        exercise_id = session["queue"][0]
        answer = right_answer(payloads(db, [exercise_id])[exercise_id])
        await _answer(client, ana, session, exercise_id, answer)
        again = await _answer(client, ana, session, exercise_id, answer)
        assert again.status_code == 409
        assert again.json()["error"]["code"] == "exercise_not_pending"

    @pytest.mark.parametrize("bad", [["a", "list"], 3, [["x", "y"]], True])
    async def test_an_answer_of_the_wrong_shape_is_a_validation_error(
        self, client: httpx.AsyncClient, db: Database, course_id: int, bad: Any
    ) -> None:
        ana = await make_learner(client, db, username="ana")
        lesson = await _first_lesson(client, ana, course_id)
        session, text_id = await _start_with(client, db, ana, lesson, "translate")
        reply = await _answer(client, ana, session, text_id, bad)
        assert reply.status_code == 422
        assert reply.json()["error"]["code"] in {"answer_shape", "validation_error"}

    async def test_a_locked_lesson_cannot_be_started(
        self, client: httpx.AsyncClient, db: Database, course_id: int
    ) -> None:
        ana = await make_learner(client, db, username="ana")
        tree = await _tree(client, ana, course_id)
        locked = tree["units"][0]["lessons"][1]["id"]
        reply = await client.post(f"/api/v1/lessons/{locked}/sessions", headers=ana.headers)
        assert reply.status_code == 409
        assert reply.json()["error"]["code"] == "lesson_locked"

    async def test_a_draft_lesson_is_invisible_to_learners(
        self, client: httpx.AsyncClient, db: Database
    ) -> None:
        author = await make_author(client, db)
        course = await client.post(
            "/api/v1/courses",
            json={
                "slug": "draft", "title": "Draft", "target_language": "es",
                "target_language_name": "Spanish", "source_language": "en",
                "source_language_name": "English",
            },
            headers=author.headers,
        )  # fmt: skip
        unit = await client.post(
            f"/api/v1/courses/{course.json()['id']}/units",
            json={"title": "U", "slug": "u", "key": "u"},
            headers=author.headers,
        )
        lesson = await client.post(
            f"/api/v1/units/{unit.json()['id']}/lessons",
            json={"title": "L", "slug": "l", "key": "l"},
            headers=author.headers,
        )
        ana = await make_learner(client, db, username="ana")
        reply = await client.post(
            f"/api/v1/lessons/{lesson.json()['id']}/sessions", headers=ana.headers
        )
        assert reply.status_code == 404


class TestHearts:
    async def test_five_mistakes_end_the_lesson_and_block_new_ones_until_practice(
        self, client: httpx.AsyncClient, db: Database, course_id: int, clock: FrozenClock
    ) -> None:
        ana = await make_learner(client, db, username="ana")
        first = await _first_lesson(client, ana, course_id)
        await _complete_lesson(client, db, ana, first)  # something to practise later
        session = await _start(client, ana, first)
        answers = payloads(db, session["queue"])
        for exercise_id in session["queue"][:5]:
            reply = await _answer(
                client, ana, session, exercise_id, wrong_answer(answers[exercise_id])
            )
            assert reply.status_code == 200
        assert reply.json()["state"]["status"] == "failed"
        assert reply.json()["state"]["hearts"]["hearts"] == 0
        after = await _answer(client, ana, session, session["queue"][5], "x")
        assert after.status_code == 409
        assert after.json()["error"]["code"] == "out_of_hearts"
        blocked = await client.post(f"/api/v1/lessons/{first}/sessions", headers=ana.headers)
        assert blocked.status_code == 409
        assert blocked.json()["error"]["code"] == "out_of_hearts"

        practice = await client.post("/api/v1/practice/sessions", headers=ana.headers)
        assert practice.status_code == 201
        await play_through(client, db, session=practice.json(), headers=ana.headers)
        done = await client.post(
            f"/api/v1/sessions/{practice.json()['id']}/complete", headers=ana.headers
        )
        assert done.json()["hearts"]["hearts"] == 1
        assert (
            await client.post(f"/api/v1/lessons/{first}/sessions", headers=ana.headers)
        ).status_code == 201

    async def test_hearts_refill_one_every_five_hours(
        self, client: httpx.AsyncClient, db: Database, course_id: int, clock: FrozenClock
    ) -> None:
        ana = await make_learner(client, db, username="ana")
        session = await _start(client, ana, await _first_lesson(client, ana, course_id))
        answers = payloads(db, session["queue"])
        for exercise_id in session["queue"][:2]:
            await _answer(client, ana, session, exercise_id, wrong_answer(answers[exercise_id]))
        clock.advance(hours=5, minutes=1)
        ana = await signed_in_again(client, ana)
        hearts = (await client.get("/api/v1/users/me/progress", headers=ana.headers)).json()[
            "hearts"
        ]
        assert hearts["hearts"] == 4
        clock.advance(hours=5)
        ana = await signed_in_again(client, ana)
        hearts = (await client.get("/api/v1/users/me/progress", headers=ana.headers)).json()[
            "hearts"
        ]
        assert hearts["hearts"] == 5
        assert hearts["next_refill_at"] is None

    async def test_wrong_answers_in_practice_cost_no_heart(
        self, client: httpx.AsyncClient, db: Database, course_id: int
    ) -> None:
        ana = await make_learner(client, db, username="ana")
        await _complete_lesson(client, db, ana, await _first_lesson(client, ana, course_id))
        practice = (await client.post("/api/v1/practice/sessions", headers=ana.headers)).json()
        exercise_id = practice["queue"][0]
        reply = await _answer(
            client,
            ana,
            practice,
            exercise_id,
            wrong_answer(payloads(db, [exercise_id])[exercise_id]),
        )
        assert reply.json()["state"]["hearts"]["hearts"] == 5


class TestPractice:
    async def test_practice_needs_a_completed_lesson(
        self, client: httpx.AsyncClient, db: Database, course_id: int
    ) -> None:
        ana = await make_learner(client, db, username="ana")
        reply = await client.post("/api/v1/practice/sessions", headers=ana.headers)
        assert reply.status_code == 409
        assert reply.json()["error"]["code"] == "nothing_to_practice"

    async def test_practice_xp_is_ten_then_five_then_nothing_each_day(
        self, client: httpx.AsyncClient, db: Database, course_id: int, clock: FrozenClock
    ) -> None:
        ana = await make_learner(client, db, username="ana")
        await _complete_lesson(client, db, ana, await _first_lesson(client, ana, course_id))
        earned = []
        for _ in range(3):
            practice = (
                await client.post(
                    "/api/v1/practice/sessions", json={"course_id": course_id}, headers=ana.headers
                )
            ).json()
            await play_through(client, db, session=practice, headers=ana.headers)
            done = await client.post(
                f"/api/v1/sessions/{practice['id']}/complete", headers=ana.headers
            )
            earned.append(done.json()["xp"]["total"])
        clock.advance(days=1)
        ana = await signed_in_again(client, ana)
        practice = (await client.post("/api/v1/practice/sessions", headers=ana.headers)).json()
        await play_through(client, db, session=practice, headers=ana.headers)
        done = await client.post(f"/api/v1/sessions/{practice['id']}/complete", headers=ana.headers)
        assert earned == [10, 5, 0]
        assert done.json()["xp"]["total"] == 10

    async def test_practice_favours_exercises_answered_wrongly(
        self, client: httpx.AsyncClient, db: Database, course_id: int
    ) -> None:
        ana = await make_learner(client, db, username="ana")
        session = await _start(client, ana, await _first_lesson(client, ana, course_id))
        answers = payloads(db, session["queue"])
        missed = session["queue"][0]
        await _answer(client, ana, session, missed, wrong_answer(answers[missed]))
        await play_through(
            client, db, session={**session, "queue": [*session["queue"][1:], missed]},
            headers=ana.headers,
        )  # fmt: skip
        await client.post(f"/api/v1/sessions/{session['id']}/complete", headers=ana.headers)
        practice = (await client.post("/api/v1/practice/sessions", headers=ana.headers)).json()
        assert practice["queue"][0] == missed


class TestStreaks:
    async def test_lessons_on_consecutive_local_days_grow_the_streak(
        self, client: httpx.AsyncClient, db: Database, course_id: int, clock: FrozenClock
    ) -> None:
        ana = await make_learner(client, db, username="ana")
        lesson = await _first_lesson(client, ana, course_id)
        lengths = []
        for _ in range(3):
            lengths.append((await _complete_lesson(client, db, ana, lesson))["streak"]["length"])
            clock.advance(days=1)
            ana = await signed_in_again(client, ana)
        clock.advance(days=1)  # a whole day missed, no freeze held
        ana = await signed_in_again(client, ana)
        lengths.append((await _complete_lesson(client, db, ana, lesson))["streak"]["length"])
        assert lengths == [1, 2, 3, 1]

    async def test_the_local_day_follows_the_learners_timezone(
        self, client: httpx.AsyncClient, db: Database, course_id: int, clock: FrozenClock
    ) -> None:
        ana = await make_learner(client, db, username="ana")
        await client.patch("/api/v1/users/me", json={"timezone": "Asia/Tokyo"}, headers=ana.headers)
        lesson = await _first_lesson(client, ana, course_id)
        # 23:30 and 00:30 in Tokyo: one hour apart, two local days.
        clock.current = clock.current.replace(hour=14, minute=30, second=0)
        first = await _complete_lesson(client, db, ana, lesson)
        clock.advance(hours=1)
        ana = await signed_in_again(client, ana)
        second = await _complete_lesson(client, db, ana, lesson)
        assert (first["streak"]["length"], second["streak"]["length"]) == (1, 2)
        history = (
            await client.get("/api/v1/users/me/xp-history?days=2", headers=ana.headers)
        ).json()
        assert [day["xp"] > 0 for day in history["days"]] == [True, True]


class TestXpHistory:
    @pytest.mark.parametrize("days", [0, -1, 1000])
    async def test_days_out_of_range_are_refused(
        self, client: httpx.AsyncClient, db: Database, days: int
    ) -> None:
        ana = await make_learner(client, db, username="ana")
        reply = await client.get(f"/api/v1/users/me/xp-history?days={days}", headers=ana.headers)
        assert reply.status_code == 422

    async def test_history_has_one_row_per_day_with_zeros(
        self, client: httpx.AsyncClient, db: Database
    ) -> None:
        ana = await make_learner(client, db, username="ana")
        reply = await client.get("/api/v1/users/me/xp-history?days=14", headers=ana.headers)
        body = reply.json()
        assert len(body["days"]) == 14
        assert body["total"] == 0


class TestEnroll:
    async def test_enrolling_twice_keeps_the_first_enrolment(
        self, client: httpx.AsyncClient, db: Database, course_id: int
    ) -> None:
        ana = await make_learner(client, db, username="ana")
        first = await client.post(f"/api/v1/courses/{course_id}/enroll", headers=ana.headers)
        second = await client.post(f"/api/v1/courses/{course_id}/enroll", headers=ana.headers)
        assert first.status_code == second.status_code == 200
        assert first.json() == second.json()
        progress = (await client.get("/api/v1/users/me/progress", headers=ana.headers)).json()
        assert [course["course_id"] for course in progress["courses"]] == [course_id]
        assert progress["courses"][0]["next_lesson"] is not None


class TestLeaderboardApi:
    async def test_two_learners_see_the_same_league_in_xp_order(
        self, client: httpx.AsyncClient, db: Database, course_id: int
    ) -> None:
        ana = await make_learner(client, db, username="ana")
        bob = await make_learner(client, db, username="bob")
        lesson = await _first_lesson(client, ana, course_id)
        await _complete_lesson(client, db, ana, lesson)
        await _complete_lesson(client, db, bob, lesson)
        await _complete_lesson(client, db, bob, lesson)
        ana_view = (await client.get("/api/v1/leaderboard", headers=ana.headers)).json()
        bob_view = (await client.get("/api/v1/leaderboard", headers=bob.headers)).json()
        assert [row["username"] for row in ana_view["standings"]] == ["bob", "ana"]
        assert ana_view["standings"] == [
            {**row, "is_you": row["username"] == "ana"} for row in bob_view["standings"]
        ]
        assert (ana_view["your_rank"], bob_view["your_rank"]) == (2, 1)

    async def test_a_learner_without_xp_this_week_has_not_joined(
        self, client: httpx.AsyncClient, db: Database
    ) -> None:
        ana = await make_learner(client, db, username="ana")
        board = (await client.get("/api/v1/leaderboard", headers=ana.headers)).json()
        assert board["joined"] is False
        assert board["tier"] == "bronze"
        assert board["standings"] == []


class TestLeaderboardWithRedis:
    async def test_redis_backed_standings_match_the_ledger(
        self, settings: Any, db: Database, clock: FrozenClock
    ) -> None:
        redis_url = os.environ.get("REDIS_URL")
        if not redis_url:
            missing("set REDIS_URL to run the Redis leaderboard test")
        course = import_demo(db)
        plain = create_app(settings, db=db, clock=clock)
        prefix = f"grader-test:{uuid.uuid4().hex}:"
        cached = create_app(
            settings.model_copy(update={"redis_url": redis_url, "redis_key_prefix": prefix}),
            db=db,
            clock=clock,
        )
        transport = httpx.ASGITransport(app=cached)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as redis_client:
            people = [await make_learner(redis_client, db, username=f"rider{i}") for i in range(3)]
            lesson = await _first_lesson(redis_client, people[0], course)
            for rounds, person in zip([1, 3, 2], people, strict=True):
                for _ in range(rounds):
                    await _complete_lesson(redis_client, db, person, lesson)
            # Redis was filled by the completions; the plain app reads the ledger.
            via_redis = (
                await redis_client.get("/api/v1/leaderboard", headers=people[0].headers)
            ).json()
        transport = httpx.ASGITransport(app=plain)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as sql_client:
            via_sql = (
                await sql_client.get("/api/v1/leaderboard", headers=people[0].headers)
            ).json()
        assert via_redis == via_sql
        assert [row["username"] for row in via_sql["standings"]] == ["rider1", "rider2", "rider0"]
        async for key in cached.state.redis.scan_iter(match=f"{prefix}*"):
            await cached.state.redis.delete(key)
        await cached.state.redis.aclose()


class TestFetchSession:
    async def test_the_fast_document_equals_the_orm_one(
        self, client: httpx.AsyncClient, db: Database, course_id: int, clock: FrozenClock
    ) -> None:
        ana = await make_learner(client, db, username="ana")
        # Starting builds the document through the ORM; fetching reads it below the ORM.
        session = await _start(client, ana, await _first_lesson(client, ana, course_id))
        url = f"/api/v1/sessions/{session['id']}"
        assert (await client.get(url, headers=ana.headers)).json() == session
        answers = payloads(db, session["queue"])
        first = session["queue"][0]
        reply = await _answer(client, ana, session, first, wrong_answer(answers[first]))
        fetched = (await client.get(url, headers=ana.headers)).json()
        queue = [*session["queue"][1:], first]
        assert fetched == {**session, "queue": queue, "state": reply.json()["state"]}
        assert fetched["state"]["mistakes"] == 1

    async def test_an_authors_edit_reaches_learners_at_once(
        self, client: httpx.AsyncClient, db: Database, course_id: int
    ) -> None:
        admin = await make_admin(client, db)
        ana = await make_learner(client, db, username="ana")
        lesson = await _first_lesson(client, ana, course_id)
        session, target_id = await _start_with(client, db, ana, lesson, "multiple_choice")
        url = f"/api/v1/sessions/{session['id']}"
        before = (await client.get(url, headers=ana.headers)).json()  # fills the cache
        target = next(e for e in before["exercises"] if e["id"] == target_id)
        stored = payloads(db, [target["id"]])[target["id"]]
        edited = {**stored, "prompt": "¿Edited prompt?"}
        reply = await client.patch(
            f"/api/v1/exercises/{target['id']}", json={"payload": edited}, headers=admin.headers
        )
        assert reply.status_code == 200, reply.text
        after = (await client.get(url, headers=ana.headers)).json()
        prompts = {e["id"]: e["payload"].get("prompt") for e in after["exercises"]}
        assert prompts[target["id"]] == "¿Edited prompt?"
