"""Exercises: typed payloads validated on write, and learners never see an answer."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from app.core.database import Database
from app.services import content_import
from tests.factories import (
    Person,
    Tree,
    make_author,
    make_learner,
    make_tree,
    multiple_choice_payload,
    row_counts,
    shared_spec,
    translate_payload,
)

PAYLOADS: dict[str, dict[str, Any]] = {
    "translate": translate_payload(),
    "multiple_choice": multiple_choice_payload(),
    "word_bank": {
        "type": "word_bank",
        "prompt": "I have a cat",
        "prompt_language": "en",
        "answer_language": "fr",
        "tiles": ["chat", "un", "J'ai", "chien"],
        "accepted": ["J'ai un chat"],
    },
    "match_pairs": {
        "type": "match_pairs",
        "pairs": [
            {"left": "chat", "right": "cat"},
            {"left": "chien", "right": "dog"},
            {"left": "ours", "right": "bear"},
        ],
    },
    "fill_blank": {
        "type": "fill_blank",
        "prompt": "J'ai un ___",
        "accepted": ["chat"],
        "translation": "I have a cat",
    },
    "listen": {"type": "listen", "text": "le chat", "language": "fr", "accepted": ["le chat"]},
}

ANSWER_FIELDS = ('"accepted"', '"correct_index"', '"pairs"', '"key"', '"item_ids"')


async def create(
    client: httpx.AsyncClient, tree: Tree, author: Person, payload: dict[str, Any], **extra: Any
) -> httpx.Response:
    return await client.post(
        f"/api/v1/lessons/{tree.lesson['id']}/exercises",
        json={"payload": payload, **extra},
        headers=author.headers,
    )


class TestCreateExercise:
    @pytest.mark.parametrize("kind", list(PAYLOADS))
    async def test_every_exercise_type_is_accepted_and_shown_whole_to_its_author(
        self, client: httpx.AsyncClient, db: Database, kind: str
    ) -> None:
        author = await make_author(client, db)
        tree = await make_tree(client, author)

        reply = await create(client, tree, author, PAYLOADS[kind])

        assert reply.status_code == 201, reply.text
        exercise = reply.json()
        assert exercise["view"] == "author"
        assert exercise["type"] == kind
        assert exercise["position"] == 1
        assert exercise["key"].startswith("custom-")
        for name, value in PAYLOADS[kind].items():
            assert exercise["payload"][name] == value

    @pytest.mark.parametrize(
        ("payload", "field", "words"),
        [
            (multiple_choice_payload(correct_index=2), "payload.multiple_choice", "out of range"),
            (
                multiple_choice_payload(options=[{"text": "cat"}], correct_index=0),
                "payload.multiple_choice.options",
                "at least 2",
            ),
            (translate_payload(accepted=[]), "payload.translate.accepted", "at least 1"),
            (
                {**PAYLOADS["word_bank"], "tiles": ["un", "chat", "chien"]},
                "payload.word_bank",
                "missing: j'ai",
            ),
            (
                {**PAYLOADS["fill_blank"], "prompt": "J'ai un chat"},
                "payload.fill_blank",
                "exactly once",
            ),
            (
                {"type": "match_pairs", "pairs": [{"left": "chat", "right": "cat"}]},
                "payload.match_pairs.pairs",
                "at least 2",
            ),
            ({"type": "essay", "prompt": "?"}, "payload", "tag"),
            (
                translate_payload(answer_language="not a language"),
                "payload.translate.answer_language",
                "pattern",
            ),
        ],
    )
    async def test_a_malformed_payload_is_a_422_naming_the_field(
        self,
        client: httpx.AsyncClient,
        db: Database,
        payload: dict[str, Any],
        field: str,
        words: str,
    ) -> None:
        author = await make_author(client, db)
        tree = await make_tree(client, author)

        reply = await create(client, tree, author, payload)

        assert reply.status_code == 422
        detail = reply.json()["error"]["details"][0]
        assert detail["field"] == field
        assert words in detail["message"]
        assert row_counts(db)["exercise"] == 1

    @pytest.mark.parametrize(
        ("accepted", "index", "position"),
        [(["I [am/'m a boy"], 0, 2), (["le chat", "un [/] chat"], 1, 3)],
    )
    async def test_an_unbalanced_grammar_is_a_422_with_field_and_position(
        self,
        client: httpx.AsyncClient,
        db: Database,
        accepted: list[str],
        index: int,
        position: int,
    ) -> None:
        author = await make_author(client, db)
        tree = await make_tree(client, author)

        reply = await create(client, tree, author, translate_payload(accepted=accepted))

        assert reply.status_code == 422
        error = reply.json()["error"]
        assert error["code"] == "malformed_grammar"
        assert error["details"][0]["field"] == f"payload.accepted.{index}"
        assert error["details"][0]["position"] == position
        assert f"payload.accepted.{index}" in error["message"]

    async def test_a_key_is_unique_in_its_lesson(
        self, client: httpx.AsyncClient, db: Database
    ) -> None:
        author = await make_author(client, db)
        tree = await make_tree(client, author)
        assert (
            await create(client, tree, author, translate_payload(), key="cat")
        ).status_code == 201
        again = await create(client, tree, author, translate_payload(), key="cat")
        assert again.status_code == 409
        assert again.json()["error"]["code"] == "key_taken"

    async def test_items_must_belong_to_the_course(
        self, client: httpx.AsyncClient, db: Database
    ) -> None:
        author = await make_author(client, db)
        tree = await make_tree(client, author)
        reply = await create(client, tree, author, translate_payload(), item_ids=[12345])
        assert reply.status_code == 422
        assert reply.json()["error"]["details"] == {"field": "item_ids", "unknown": [12345]}

    async def test_learners_and_other_authors_cannot_add_exercises(
        self, client: httpx.AsyncClient, db: Database
    ) -> None:
        author = await make_author(client, db)
        other = await make_author(client, db, "author2")
        learner = await make_learner(client, db)
        tree = await make_tree(client, author)
        for person in (learner, other):
            assert (await create(client, tree, person, translate_payload())).status_code == 403


class TestUpdateAndDeleteExercise:
    async def test_the_payload_is_replaced_and_the_exercise_moved(
        self, client: httpx.AsyncClient, db: Database
    ) -> None:
        author = await make_author(client, db)
        tree = await make_tree(client, author)
        second = (await create(client, tree, author, PAYLOADS["listen"])).json()

        reply = await client.patch(
            f"/api/v1/exercises/{second['id']}",
            json={"payload": PAYLOADS["fill_blank"], "position": 0},
            headers=author.headers,
        )

        assert reply.status_code == 200
        assert reply.json()["type"] == "fill_blank"
        assert reply.json()["position"] == 0
        first = await client.get(f"/api/v1/exercises/{tree.exercise['id']}", headers=author.headers)
        assert first.json()["position"] == 1

    async def test_a_bad_grammar_in_an_update_is_refused_and_nothing_changes(
        self, client: httpx.AsyncClient, db: Database
    ) -> None:
        author = await make_author(client, db)
        tree = await make_tree(client, author)
        path = f"/api/v1/exercises/{tree.exercise['id']}"

        reply = await client.patch(
            path, json={"payload": translate_payload(accepted=["a ]b"])}, headers=author.headers
        )

        assert reply.status_code == 422
        assert reply.json()["error"]["details"][0]["position"] == 2
        assert (await client.get(path, headers=author.headers)).json()["payload"] == tree.exercise[
            "payload"
        ]

    async def test_learners_cannot_change_or_delete_an_exercise(
        self, client: httpx.AsyncClient, db: Database
    ) -> None:
        author = await make_author(client, db)
        learner = await make_learner(client, db)
        tree = await make_tree(client, author)
        path = f"/api/v1/exercises/{tree.exercise['id']}"
        assert (
            await client.patch(path, json={"position": 3}, headers=learner.headers)
        ).status_code == 403
        assert (await client.delete(path, headers=learner.headers)).status_code == 403

    async def test_deleting_an_exercise_leaves_the_lesson(
        self, client: httpx.AsyncClient, db: Database
    ) -> None:
        author = await make_author(client, db)
        tree = await make_tree(client, author)
        reply = await client.delete(
            f"/api/v1/exercises/{tree.exercise['id']}", headers=author.headers
        )
        assert reply.status_code == 204
        counts = row_counts(db)
        assert (counts["lesson"], counts["exercise"]) == (1, 0)


class TestLearnerView:
    async def test_learners_get_every_type_without_its_answers(
        self, client: httpx.AsyncClient, db: Database
    ) -> None:
        author = await make_author(client, db)
        learner = await make_learner(client, db)
        tree = await make_tree(client, author)
        for payload in PAYLOADS.values():
            await create(client, tree, author, payload)

        reply = await client.get(
            f"/api/v1/lessons/{tree.lesson['id']}/exercises", headers=learner.headers
        )

        assert reply.status_code == 200
        for field in ANSWER_FIELDS:
            assert field not in reply.text
        exercises = {exercise["type"]: exercise for exercise in reply.json()["data"]}
        assert all(exercise["view"] == "learner" for exercise in exercises.values())
        assert set(exercises["word_bank"]["payload"]["tiles"]) == {"chat", "un", "J'ai", "chien"}
        assert exercises["listen"]["payload"] == {
            "type": "listen",
            "text": "le chat",
            "language": "fr",
        }
        assert exercises["fill_blank"]["payload"]["prompt"] == "J'ai un ___"
        assert len(exercises["multiple_choice"]["payload"]["options"]) == 2

    async def test_match_pairs_come_as_two_lists_that_do_not_give_the_pairing_away(
        self, client: httpx.AsyncClient, db: Database
    ) -> None:
        author = await make_author(client, db)
        learner = await make_learner(client, db)
        tree = await make_tree(client, author)
        created = (await create(client, tree, author, PAYLOADS["match_pairs"])).json()

        reply = await client.get(f"/api/v1/exercises/{created['id']}", headers=learner.headers)
        again = await client.get(f"/api/v1/exercises/{created['id']}", headers=learner.headers)

        payload = reply.json()["payload"]
        assert sorted(payload["left"]) == ["chat", "chien", "ours"]
        assert sorted(payload["right"]) == ["bear", "cat", "dog"]
        pairing = {(pair["left"], pair["right"]) for pair in PAYLOADS["match_pairs"]["pairs"]}
        assert set(zip(payload["left"], payload["right"], strict=True)) != pairing
        assert again.json() == reply.json()  # the same order every time

    async def test_the_author_sees_the_author_view_in_lists(
        self, client: httpx.AsyncClient, db: Database
    ) -> None:
        author = await make_author(client, db)
        tree = await make_tree(client, author)
        reply = await client.get(
            f"/api/v1/lessons/{tree.lesson['id']}/exercises", headers=author.headers
        )
        exercise = reply.json()["data"][0]
        assert exercise["view"] == "author"
        assert exercise["payload"]["accepted"] == ["[le/un] chat"]

    async def test_exercises_of_a_draft_are_not_found_for_learners(
        self, client: httpx.AsyncClient, db: Database
    ) -> None:
        author = await make_author(client, db)
        learner = await make_learner(client, db)
        tree = await make_tree(client, author, published=False)
        for path in (
            f"/api/v1/exercises/{tree.exercise['id']}",
            f"/api/v1/lessons/{tree.lesson['id']}/exercises",
            f"/api/v1/lessons/{tree.lesson['id']}",
        ):
            assert (await client.get(path, headers=learner.headers)).status_code == 404

    async def test_no_answer_of_an_imported_course_reaches_a_learner(
        self, client: httpx.AsyncClient, db: Database
    ) -> None:
        learner = await make_learner(client, db)
        outcome = db.run_write(
            lambda session: content_import.import_course(
                session,
                spec=shared_spec("bangla-from-english"),
                slug="bangla",
                actor=None,
                published=True,
            )
        )
        course_tree = await client.get(
            f"/api/v1/courses/{outcome.course.id}/tree", headers=learner.headers
        )
        lesson_ids = [
            lesson["id"] for unit in course_tree.json()["units"] for lesson in unit["lessons"]
        ]
        seen = 0
        for lesson_id in lesson_ids:
            reply = await client.get(
                f"/api/v1/lessons/{lesson_id}/exercises",
                params={"limit": 100},
                headers=learner.headers,
            )
            assert reply.status_code == 200
            for field in ANSWER_FIELDS:
                assert field not in reply.text
            seen += len(reply.json()["data"])
        assert seen == outcome.counts.exercises.created
