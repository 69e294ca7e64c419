"""Units and lessons: CRUD, ordering, slugs unique per parent, cascades, visibility."""

from __future__ import annotations

import httpx

from app.core.database import Database
from tests.factories import make_author, make_learner, make_tree, post_ok, row_counts


class TestUnits:
    async def test_units_are_listed_in_order_and_can_be_reordered(
        self, client: httpx.AsyncClient, db: Database
    ) -> None:
        author = await make_author(client, db)
        tree = await make_tree(client, author)
        course_id = tree.course["id"]
        second = await post_ok(client, f"/courses/{course_id}/units", author, {"title": "Food"})
        first = await post_ok(
            client, f"/courses/{course_id}/units", author, {"title": "Intro", "position": 0}
        )

        listed = await client.get(f"/api/v1/courses/{course_id}/units", headers=author.headers)
        assert [unit["title"] for unit in listed.json()["data"]] == ["Intro", "Basics", "Food"]
        assert [unit["position"] for unit in listed.json()["data"]] == [0, 1, 2]
        assert listed.json()["count"] == 3

        moved = await client.patch(
            f"/api/v1/units/{first['id']}", json={"position": 2}, headers=author.headers
        )
        assert moved.status_code == 200
        assert moved.json()["position"] == 2
        listed = await client.get(f"/api/v1/courses/{course_id}/units", headers=author.headers)
        assert [unit["id"] for unit in listed.json()["data"]] == [
            tree.unit["id"],
            second["id"],
            first["id"],
        ]

    async def test_a_unit_slug_is_unique_in_its_course_only(
        self, client: httpx.AsyncClient, db: Database
    ) -> None:
        author = await make_author(client, db)
        one = await make_tree(client, author, slug="one")
        two = await make_tree(client, author, slug="two")

        clash = await client.post(
            f"/api/v1/courses/{one.course['id']}/units",
            json={"title": "Basics again", "slug": "basics"},
            headers=author.headers,
        )
        assert clash.status_code == 409
        assert clash.json()["error"]["code"] == "slug_taken"
        assert one.unit["slug"] == two.unit["slug"] == "basics"

    async def test_deleting_a_unit_deletes_its_lessons_and_exercises(
        self, client: httpx.AsyncClient, db: Database
    ) -> None:
        author = await make_author(client, db)
        tree = await make_tree(client, author)
        reply = await client.delete(f"/api/v1/units/{tree.unit['id']}", headers=author.headers)
        assert reply.status_code == 204
        counts = row_counts(db)
        assert (counts["course"], counts["unit"], counts["lesson"], counts["exercise"]) == (
            1,
            0,
            0,
            0,
        )
        gone = await client.get(f"/api/v1/lessons/{tree.lesson['id']}", headers=author.headers)
        assert gone.status_code == 404

    async def test_learners_read_units_of_published_courses_but_cannot_change_them(
        self, client: httpx.AsyncClient, db: Database
    ) -> None:
        author = await make_author(client, db)
        learner = await make_learner(client, db)
        tree = await make_tree(client, author)
        path = f"/api/v1/units/{tree.unit['id']}"

        assert (await client.get(path, headers=learner.headers)).status_code == 200
        assert (
            await client.patch(path, json={"title": "x"}, headers=learner.headers)
        ).status_code == 403
        assert (await client.delete(path, headers=learner.headers)).status_code == 403
        created = await client.post(
            f"/api/v1/courses/{tree.course['id']}/units",
            json={"title": "Mine"},
            headers=learner.headers,
        )
        assert created.status_code == 403

    async def test_units_of_a_draft_are_not_found_for_learners(
        self, client: httpx.AsyncClient, db: Database
    ) -> None:
        author = await make_author(client, db)
        learner = await make_learner(client, db)
        tree = await make_tree(client, author, published=False)
        for path in (
            f"/api/v1/units/{tree.unit['id']}",
            f"/api/v1/courses/{tree.course['id']}/units",
            f"/api/v1/units/{tree.unit['id']}/lessons",
        ):
            assert (await client.get(path, headers=learner.headers)).status_code == 404


class TestLessons:
    async def test_a_lesson_shows_its_tips_and_size(
        self, client: httpx.AsyncClient, db: Database
    ) -> None:
        author = await make_author(client, db)
        learner = await make_learner(client, db)
        tree = await make_tree(client, author)

        reply = await client.get(f"/api/v1/lessons/{tree.lesson['id']}", headers=learner.headers)

        assert reply.status_code == 200
        lesson = reply.json()
        assert lesson["tips_markdown"].startswith("# Animals")
        assert lesson["exercise_count"] == 1
        assert lesson["slug"] == "animals"
        assert lesson["course_id"] == tree.course["id"]

    async def test_lessons_are_reordered_within_their_unit(
        self, client: httpx.AsyncClient, db: Database
    ) -> None:
        author = await make_author(client, db)
        tree = await make_tree(client, author)
        unit_path = f"/units/{tree.unit['id']}/lessons"
        food = await post_ok(client, unit_path, author, {"title": "Food"})

        moved = await client.patch(
            f"/api/v1/lessons/{food['id']}",
            json={"position": 0, "title": "Food and drink"},
            headers=author.headers,
        )

        assert moved.status_code == 200
        listed = await client.get(f"/api/v1{unit_path}", headers=author.headers)
        assert [(lesson["title"], lesson["position"]) for lesson in listed.json()["data"]] == [
            ("Food and drink", 0),
            ("Animals", 1),
        ]

    async def test_a_lesson_slug_is_unique_in_its_unit_and_a_key_in_its_course(
        self, client: httpx.AsyncClient, db: Database
    ) -> None:
        author = await make_author(client, db)
        tree = await make_tree(client, author)
        other_unit = await post_ok(
            client, f"/courses/{tree.course['id']}/units", author, {"title": "More"}
        )

        same_unit = await client.post(
            f"/api/v1/units/{tree.unit['id']}/lessons",
            json={"title": "Animals"},
            headers=author.headers,
        )
        same_key = await client.post(
            f"/api/v1/units/{other_unit['id']}/lessons",
            json={"title": "Animals"},
            headers=author.headers,
        )
        other_key = await client.post(
            f"/api/v1/units/{other_unit['id']}/lessons",
            json={"title": "Animals", "key": "animals-2"},
            headers=author.headers,
        )

        assert same_unit.status_code == 409
        assert same_unit.json()["error"]["code"] == "slug_taken"
        assert same_key.status_code == 409
        assert same_key.json()["error"]["code"] == "key_taken"
        assert other_key.status_code == 201

    async def test_deleting_a_lesson_deletes_its_exercises_and_renumbers_the_rest(
        self, client: httpx.AsyncClient, db: Database
    ) -> None:
        author = await make_author(client, db)
        tree = await make_tree(client, author)
        food = await post_ok(client, f"/units/{tree.unit['id']}/lessons", author, {"title": "Food"})

        reply = await client.delete(f"/api/v1/lessons/{tree.lesson['id']}", headers=author.headers)

        assert reply.status_code == 204
        assert row_counts(db)["exercise"] == 0
        left = await client.get(f"/api/v1/lessons/{food['id']}", headers=author.headers)
        assert left.json()["position"] == 0

    async def test_another_author_cannot_add_a_lesson(
        self, client: httpx.AsyncClient, db: Database
    ) -> None:
        author = await make_author(client, db)
        other = await make_author(client, db, "author2")
        tree = await make_tree(client, author)
        reply = await client.post(
            f"/api/v1/units/{tree.unit['id']}/lessons", json={"title": "X"}, headers=other.headers
        )
        assert reply.status_code == 403
