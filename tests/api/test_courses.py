"""Courses: the catalogue, drafts, ownership, CRUD and the course tree."""

from __future__ import annotations

import httpx

from app.core.database import Database
from tests.factories import (
    course_body,
    make_admin,
    make_author,
    make_learner,
    make_tree,
    post_ok,
    row_counts,
)


class TestCreateCourse:
    async def test_an_author_creates_a_draft_and_owns_it(
        self, client: httpx.AsyncClient, db: Database
    ) -> None:
        author = await make_author(client, db)
        reply = await client.post("/api/v1/courses", json=course_body(), headers=author.headers)

        assert reply.status_code == 201
        course = reply.json()
        assert course["owner_id"] == author.id
        assert course["published"] is False
        assert course["can_edit"] is True
        assert course["license"] is None

    async def test_a_learner_may_not_create_a_course(
        self, client: httpx.AsyncClient, db: Database
    ) -> None:
        learner = await make_learner(client, db)
        reply = await client.post("/api/v1/courses", json=course_body(), headers=learner.headers)
        assert reply.status_code == 403
        assert row_counts(db)["course"] == 0

    async def test_signing_in_is_required_to_create(self, client: httpx.AsyncClient) -> None:
        reply = await client.post("/api/v1/courses", json=course_body())
        assert reply.status_code == 401

    async def test_a_taken_slug_is_a_conflict(
        self, client: httpx.AsyncClient, db: Database
    ) -> None:
        author = await make_author(client, db)
        await post_ok(client, "/courses", author, course_body())
        reply = await client.post("/api/v1/courses", json=course_body(), headers=author.headers)
        assert reply.status_code == 409
        assert reply.json()["error"]["code"] == "slug_taken"

    async def test_an_invalid_slug_and_unknown_fields_are_rejected(
        self, client: httpx.AsyncClient, db: Database
    ) -> None:
        author = await make_author(client, db)
        reply = await client.post(
            "/api/v1/courses",
            json=course_body(slug="Not A Slug", owner_id=99),
            headers=author.headers,
        )
        assert reply.status_code == 422
        fields = {detail["field"] for detail in reply.json()["error"]["details"]}
        assert fields == {"slug", "owner_id"}


class TestCatalogue:
    async def test_anonymous_visitors_see_published_courses_only(
        self, client: httpx.AsyncClient, db: Database
    ) -> None:
        author = await make_author(client, db)
        await post_ok(client, "/courses", author, course_body(slug="public", published=True))
        await post_ok(client, "/courses", author, course_body(slug="draft"))

        reply = await client.get("/api/v1/courses")

        assert reply.status_code == 200
        assert [course["slug"] for course in reply.json()["data"]] == ["public"]
        assert reply.json()["count"] == 1

    async def test_a_draft_is_not_found_for_learners_and_strangers(
        self, client: httpx.AsyncClient, db: Database
    ) -> None:
        author = await make_author(client, db)
        other = await make_author(client, db, "author2")
        learner = await make_learner(client, db)
        draft = await post_ok(client, "/courses", author, course_body(slug="draft"))

        for headers in ({}, learner.headers, other.headers):
            reply = await client.get(f"/api/v1/courses/{draft['id']}", headers=headers)
            assert reply.status_code == 404
            assert reply.json()["error"]["code"] == "course_not_found"
        listed = await client.get("/api/v1/courses", headers=learner.headers)
        assert listed.json() == {"data": [], "count": 0}

    async def test_owners_and_admins_see_drafts(
        self, client: httpx.AsyncClient, db: Database
    ) -> None:
        author = await make_author(client, db)
        admin = await make_admin(client, db)
        draft = await post_ok(client, "/courses", author, course_body(slug="draft"))

        for person in (author, admin):
            reply = await client.get(f"/api/v1/courses/{draft['id']}", headers=person.headers)
            assert reply.status_code == 200
            assert reply.json()["can_edit"] is True
            listed = await client.get("/api/v1/courses", headers=person.headers)
            assert listed.json()["count"] == 1

    async def test_pagination_counts_every_visible_course(
        self, client: httpx.AsyncClient, db: Database
    ) -> None:
        author = await make_author(client, db)
        for number in range(5):
            await post_ok(
                client,
                "/courses",
                author,
                course_body(slug=f"course-{number}", title=f"Course {number}", published=True),
            )

        reply = await client.get("/api/v1/courses", params={"offset": 1, "limit": 2})

        assert reply.json()["count"] == 5
        assert [course["slug"] for course in reply.json()["data"]] == ["course-1", "course-2"]

    async def test_a_page_larger_than_100_is_refused(self, client: httpx.AsyncClient) -> None:
        reply = await client.get("/api/v1/courses", params={"limit": 101})
        assert reply.status_code == 422
        assert reply.json()["error"]["details"][0]["field"] == "limit"


class TestUpdateCourse:
    async def test_the_owner_publishes_and_edits(
        self, client: httpx.AsyncClient, db: Database
    ) -> None:
        author = await make_author(client, db)
        course = await post_ok(client, "/courses", author, course_body())

        reply = await client.patch(
            f"/api/v1/courses/{course['id']}",
            json={
                "published": True,
                "description": "Learn French.",
                "license": {"name": "CC0", "short_name": "CC0"},
            },
            headers=author.headers,
        )

        assert reply.status_code == 200
        updated = reply.json()
        assert updated["published"] is True
        assert updated["description"] == "Learn French."
        assert updated["license"] == {"name": "CC0", "short_name": "CC0", "link": None}
        assert updated["title"] == course["title"]

    async def test_another_author_may_not_edit_but_an_admin_may(
        self, client: httpx.AsyncClient, db: Database
    ) -> None:
        author = await make_author(client, db)
        other = await make_author(client, db, "author2")
        admin = await make_admin(client, db)
        course = await post_ok(client, "/courses", author, course_body(published=True))
        path = f"/api/v1/courses/{course['id']}"

        refused = await client.patch(path, json={"title": "Mine"}, headers=other.headers)
        allowed = await client.patch(path, json={"title": "Admin's"}, headers=admin.headers)

        assert refused.status_code == 403
        assert refused.json()["error"]["code"] == "not_course_editor"
        assert allowed.status_code == 200
        assert allowed.json()["title"] == "Admin's"

    async def test_a_learner_may_not_edit_or_delete_a_published_course(
        self, client: httpx.AsyncClient, db: Database
    ) -> None:
        author = await make_author(client, db)
        learner = await make_learner(client, db)
        course = await post_ok(client, "/courses", author, course_body(published=True))
        path = f"/api/v1/courses/{course['id']}"

        assert (
            await client.patch(path, json={"title": "x"}, headers=learner.headers)
        ).status_code == 403
        assert (await client.delete(path, headers=learner.headers)).status_code == 403
        assert row_counts(db)["course"] == 1

    async def test_a_required_field_cannot_be_nulled(
        self, client: httpx.AsyncClient, db: Database
    ) -> None:
        author = await make_author(client, db)
        course = await post_ok(client, "/courses", author, course_body())
        reply = await client.patch(
            f"/api/v1/courses/{course['id']}", json={"title": None}, headers=author.headers
        )
        assert reply.status_code == 422

    async def test_renaming_onto_a_taken_slug_is_a_conflict(
        self, client: httpx.AsyncClient, db: Database
    ) -> None:
        author = await make_author(client, db)
        await post_ok(client, "/courses", author, course_body(slug="taken"))
        course = await post_ok(client, "/courses", author, course_body(slug="mine"))
        reply = await client.patch(
            f"/api/v1/courses/{course['id']}", json={"slug": "taken"}, headers=author.headers
        )
        assert reply.status_code == 409


class TestDeleteCourse:
    async def test_deleting_a_course_deletes_everything_in_it(
        self, client: httpx.AsyncClient, db: Database
    ) -> None:
        author = await make_author(client, db)
        tree = await make_tree(client, author)
        assert row_counts(db)["exercise"] == 1

        reply = await client.delete(f"/api/v1/courses/{tree.course['id']}", headers=author.headers)

        assert reply.status_code == 204
        counts = row_counts(db)
        assert counts == dict.fromkeys(counts, 0)
        gone = await client.get(f"/api/v1/courses/{tree.course['id']}", headers=author.headers)
        assert gone.status_code == 404


class TestCourseTree:
    async def test_the_tree_lists_units_and_lessons_with_their_sizes(
        self, client: httpx.AsyncClient, db: Database
    ) -> None:
        author = await make_author(client, db)
        learner = await make_learner(client, db)
        tree = await make_tree(client, author)
        second = await post_ok(
            client, f"/units/{tree.unit['id']}/lessons", author, {"title": "Food"}
        )

        reply = await client.get(
            f"/api/v1/courses/{tree.course['id']}/tree", headers=learner.headers
        )

        assert reply.status_code == 200
        body = reply.json()
        assert body["can_edit"] is False
        assert [unit["title"] for unit in body["units"]] == ["Basics"]
        lessons = body["units"][0]["lessons"]
        assert [(lesson["id"], lesson["exercise_count"]) for lesson in lessons] == [
            (tree.lesson["id"], 1),
            (second["id"], 0),
        ]
        assert set(lessons[0]) == {
            "id",
            "key",
            "slug",
            "title",
            "position",
            "exercise_count",
            "item_count",
            "state",
            "times_completed",
        }
        # For a new learner the first lesson is open and the next one waits for it.
        assert [lesson["state"] for lesson in lessons] == ["available", "locked"]
        assert body["current_lesson_id"] == tree.lesson["id"]
        assert body["enrolled"] is False

    async def test_the_tree_needs_a_sign_in_and_hides_drafts(
        self, client: httpx.AsyncClient, db: Database
    ) -> None:
        author = await make_author(client, db)
        learner = await make_learner(client, db)
        tree = await make_tree(client, author, published=False)
        path = f"/api/v1/courses/{tree.course['id']}/tree"

        assert (await client.get(path)).status_code == 401
        assert (await client.get(path, headers=learner.headers)).status_code == 404
        assert (await client.get(path, headers=author.headers)).status_code == 200
