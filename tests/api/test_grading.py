"""POST /grading/check: authors preview verdicts."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import update

from app.core.database import Database
from app.models.user import Role, User
from tests.api.helpers import SignedIn, sign_up


async def _author(client: httpx.AsyncClient, db: Database) -> SignedIn:
    author = await sign_up(client, "author")
    await db.write(
        lambda session: session.execute(
            update(User).where(User.id == author.user_id).values(role=Role.author)
        )
    )
    return author


class TestGradingCheck:
    async def test_author_sees_a_typo_verdict_with_its_diff(
        self, client: httpx.AsyncClient, db: Database
    ) -> None:
        author = await _author(client, db)
        reply = await client.post(
            "/api/v1/grading/check",
            json={
                "accepted": ["I [am/'m] a [boy/child]"],
                "answer": "im a chlid",
                "language": "en",
            },
            headers=author.headers,
        )
        assert reply.status_code == 200
        verdict = reply.json()
        assert verdict["correct"] is True
        assert verdict["kind"] == "typo"
        assert verdict["closest"] == "I'm a child"
        assert [token["status"] for token in verdict["diff"]] == ["typo", "ok", "typo"]

    async def test_accent_only_difference_is_correct_and_marked(
        self, client: httpx.AsyncClient, db: Database
    ) -> None:
        author = await _author(client, db)
        reply = await client.post(
            "/api/v1/grading/check",
            json={"accepted": ["¿Cómo estás?"], "answer": "como estas", "language": "es"},
            headers=author.headers,
        )
        verdict = reply.json()
        assert (verdict["correct"], verdict["kind"]) == (True, "accent")
        assert {token["status"] for token in verdict["diff"]} == {"accent"}

    async def test_vocabulary_word_is_a_mistake_not_a_typo(
        self, client: httpx.AsyncClient, db: Database
    ) -> None:
        author = await _author(client, db)
        body = {"accepted": ["the horse"], "answer": "the house", "language": "en"}
        lenient = await client.post("/api/v1/grading/check", json=body, headers=author.headers)
        strict = await client.post(
            "/api/v1/grading/check",
            json={**body, "vocabulary": ["house"]},
            headers=author.headers,
        )
        assert lenient.json()["kind"] == "typo"
        assert strict.json()["kind"] == "wrong"

    @pytest.mark.parametrize(("accepted", "position"), [(["ok", "I [am a boy"], 2), (["a ] b"], 2)])
    async def test_malformed_grammar_names_the_answer_and_position(
        self, client: httpx.AsyncClient, db: Database, accepted: list[str], position: int
    ) -> None:
        author = await _author(client, db)
        reply = await client.post(
            "/api/v1/grading/check",
            json={"accepted": accepted, "answer": "x"},
            headers=author.headers,
        )
        assert reply.status_code == 422
        error = reply.json()["error"]
        assert error["code"] == "malformed_grammar"
        assert error["details"][0]["field"] == f"accepted.{len(accepted) - 1}"
        assert error["details"][0]["position"] == position

    async def test_learners_may_not_use_the_preview(self, client: httpx.AsyncClient) -> None:
        learner = await sign_up(client, "learner")
        reply = await client.post(
            "/api/v1/grading/check",
            json={"accepted": ["a"], "answer": "a"},
            headers=learner.headers,
        )
        assert reply.status_code == 403
        assert reply.json()["error"]["code"] == "forbidden"

    async def test_empty_accepted_list_is_a_validation_error(
        self, client: httpx.AsyncClient, db: Database
    ) -> None:
        author = await _author(client, db)
        reply = await client.post(
            "/api/v1/grading/check", json={"accepted": [], "answer": "a"}, headers=author.headers
        )
        assert reply.status_code == 422
        assert reply.json()["error"]["details"][0]["field"] == "accepted"
