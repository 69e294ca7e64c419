"""POST /courses/import (zip upload) and GET /courses/{id}/export."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.core.database import Database
from app.services.librelingo import read_course_zip
from tests.factories import (
    COURSE_NAMES,
    Person,
    all_ids,
    copy_course,
    make_admin,
    make_author,
    make_learner,
    raw_counts,
    row_counts,
    shared_course,
    shared_spec,
    shared_zip,
    zip_folder,
)


async def upload(
    client: httpx.AsyncClient, person: Person | None, data: bytes, **form: Any
) -> httpx.Response:
    return await client.post(
        "/api/v1/courses/import",
        files={"file": ("course.zip", data, "application/zip")},
        data={name: str(value).lower() for name, value in form.items()},
        headers=person.headers if person else {},
    )


def _break(root: Path, relative: str, old: str, new: str) -> None:
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


class TestImportSharedCourses:
    @pytest.mark.parametrize("name", COURSE_NAMES)
    async def test_a_zip_upload_creates_the_course_and_a_second_upload_changes_nothing(
        self, client: httpx.AsyncClient, db: Database, name: str
    ) -> None:
        author = await make_author(client, db)
        raw = raw_counts(shared_course(name))
        generated = sum(1 for _ in shared_spec(name).exercises())

        reply = await upload(client, author, shared_zip(name))

        assert reply.status_code == 200, reply.text
        body = reply.json()
        assert body["course"]["slug"] == name
        assert body["course"]["owner_id"] == author.id
        assert body["course"]["published"] is False
        assert body["course"]["license"]["short_name"] == "CC BY-SA 4.0"
        assert "CC BY-SA" in body["course"]["attribution"]
        counts = body["counts"]
        assert counts["units"]["created"] == raw["units"]
        assert counts["lessons"]["created"] == raw["lessons"]
        assert counts["items"]["created"] == raw["items"]
        assert counts["exercises"]["created"] == generated
        before = all_ids(db)

        again = await upload(client, author, shared_zip(name))

        assert again.status_code == 200
        assert again.json()["counts"]["exercises"] == {
            "created": 0,
            "updated": 0,
            "deleted": 0,
            "unchanged": generated,
        }
        assert again.json()["counts"]["course"]["unchanged"] == 1
        assert all_ids(db) == before


class TestImportRules:
    async def test_a_zip_without_a_folder_is_named_after_its_languages(
        self, client: httpx.AsyncClient, db: Database
    ) -> None:
        author = await make_author(client, db)
        data = zip_folder(shared_course("bangla-from-english"), folder="")
        reply = await upload(client, author, data, published=True)
        assert reply.json()["course"]["slug"] == "bangla-from-english"
        assert reply.json()["course"]["published"] is True

    async def test_an_explicit_slug_wins(self, client: httpx.AsyncClient, db: Database) -> None:
        author = await make_author(client, db)
        reply = await upload(client, author, shared_zip("bangla-from-english"), slug="bangla")
        assert reply.json()["course"]["slug"] == "bangla"

    async def test_learners_and_anonymous_users_cannot_import(
        self, client: httpx.AsyncClient, db: Database
    ) -> None:
        learner = await make_learner(client, db)
        assert (await upload(client, learner, shared_zip("bangla-from-english"))).status_code == 403
        assert (await upload(client, None, shared_zip("bangla-from-english"))).status_code == 401
        assert row_counts(db)["course"] == 0

    async def test_another_authors_course_cannot_be_overwritten_but_an_admin_may(
        self, client: httpx.AsyncClient, db: Database, tmp_path: Path
    ) -> None:
        owner = await make_author(client, db)
        other = await make_author(client, db, "author2")
        admin = await make_admin(client, db)
        await upload(client, owner, shared_zip("bangla-from-english"))
        before = all_ids(db)
        root = copy_course("bangla-from-english", tmp_path)
        _break(root, "course.yaml", "Name: Bangla", "Name: Bengali")
        changed = zip_folder(root)

        refused = await upload(client, other, changed)
        assert refused.status_code == 403
        assert all_ids(db) == before

        allowed = await upload(client, admin, changed)
        assert allowed.status_code == 200
        assert allowed.json()["course"]["target_language_name"] == "Bengali"
        assert allowed.json()["course"]["owner_id"] == owner.id


BROKEN = {
    "yaml syntax error": ("basics/skills/animals.yaml", "Translation: cat", "Translation: cat: x"),
    "bad grammar": ("basics/skills/animals.yaml", "Translation: cat", "Translation: a [/] cat"),
}


class TestBrokenUploads:
    @pytest.mark.parametrize("case", list(BROKEN))
    async def test_a_broken_course_is_a_422_with_file_and_line_and_writes_nothing(
        self, client: httpx.AsyncClient, db: Database, tmp_path: Path, case: str
    ) -> None:
        author = await make_author(client, db)
        await upload(client, author, shared_zip("bangla-from-english"))
        rows, ids = row_counts(db), all_ids(db)
        root = copy_course("bangla-from-english", tmp_path)
        file, old, new = BROKEN[case]
        _break(root, file, old, new)
        line = next(
            number
            for number, text in enumerate((root / file).read_text().splitlines(), 1)
            if new in text
        )

        reply = await upload(client, author, zip_folder(root))

        assert reply.status_code == 422
        error = reply.json()["error"]
        assert error["code"] == "invalid_course"
        assert error["details"]["file"] == file
        assert error["details"]["line"] == line
        assert error["details"]["message"]
        assert error["message"].startswith(f"{file}:{line}: ")
        assert row_counts(db) == rows
        assert all_ids(db) == ids

    async def test_a_file_that_is_not_a_zip_is_a_422(
        self, client: httpx.AsyncClient, db: Database
    ) -> None:
        author = await make_author(client, db)
        reply = await upload(client, author, b"course.yaml, honestly")
        assert reply.status_code == 422
        assert reply.json()["error"]["details"]["file"] == "<zip>"
        assert row_counts(db)["course"] == 0


class TestExport:
    @pytest.mark.parametrize("name", ["spanish-from-english", "bangla-from-english"])
    async def test_an_export_is_the_course_as_imported_and_reimports_without_changes(
        self, client: httpx.AsyncClient, db: Database, name: str
    ) -> None:
        author = await make_author(client, db)
        course = (await upload(client, author, shared_zip(name))).json()["course"]

        reply = await client.get(f"/api/v1/courses/{course['id']}/export", headers=author.headers)

        assert reply.status_code == 200
        assert reply.headers["content-type"] == "application/zip"
        assert reply.headers["content-disposition"] == f'attachment; filename="{name}.zip"'
        with zipfile.ZipFile(io.BytesIO(reply.content)) as archive:
            assert f"{name}/course.yaml" in archive.namelist()
        assert read_course_zip(reply.content) == shared_spec(name)
        again = await upload(client, author, reply.content)
        assert again.json()["course"]["id"] == course["id"]
        changes = again.json()["counts"]
        assert all(
            counts["created"] == counts["updated"] == counts["deleted"] == 0
            for counts in changes.values()
        ), changes

    async def test_only_editors_may_export(self, client: httpx.AsyncClient, db: Database) -> None:
        author = await make_author(client, db)
        learner = await make_learner(client, db)
        course = (
            await upload(client, author, shared_zip("bangla-from-english"), published=True)
        ).json()["course"]
        reply = await client.get(f"/api/v1/courses/{course['id']}/export", headers=learner.headers)
        assert reply.status_code == 403
