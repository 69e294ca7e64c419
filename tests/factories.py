"""Test factories: users with real sign-ins, courses, course folders and zips."""

from __future__ import annotations

import functools
import io
import shutil
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import yaml
from sqlalchemy import func, select, update

from app.core.database import Database
from app.models import Course, Exercise, ExerciseItem, Item, Lesson, Role, Unit, User
from app.services.librelingo import CourseSpec, read_course
from tests.environment import missing

SHARED_COURSES = Path(__file__).resolve().parents[2] / "shared" / "courses"
COURSE_NAMES = ["spanish-from-english", "basque-from-english", "bangla-from-english"]
PASSWORD = "correct-horse-battery"
TEST_SECRET = "test-secret-key-that-is-long-enough-0123456789"
# The smallest course.yaml: one module, Spanish for English speakers.
COURSE_YAML = """\
Course:
  Language:
    Name: Spanish
    IETF BCP 47: es
  For speakers of:
    Name: English
    IETF BCP 47: en
Modules:
  - basics/
"""

CONTENT_MODELS = {
    "course": Course,
    "unit": Unit,
    "lesson": Lesson,
    "item": Item,
    "exercise": Exercise,
    "exercise_item": ExerciseItem,
}


# -- people --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    id: int
    username: str
    role: Role
    headers: dict[str, str]


async def make_user(
    client: httpx.AsyncClient, db: Database, *, username: str, role: Role = Role.learner
) -> Person:
    """Register through the API, set the role in the database, sign in for a token."""
    reply = await client.post(
        "/api/v1/auth/register",
        json={"email": f"{username}@example.com", "username": username, "password": PASSWORD},
    )
    assert reply.status_code == 201, reply.text
    user_id = reply.json()["id"]
    if role is not Role.learner:
        db.run_write(
            lambda session: session.execute(
                update(User).where(User.id == user_id).values(role=role)
            )
        )
    reply = await client.post("/api/v1/auth/login", json={"login": username, "password": PASSWORD})
    assert reply.status_code == 200, reply.text
    token = reply.json()["access_token"]
    return Person(
        id=user_id, username=username, role=role, headers={"Authorization": f"Bearer {token}"}
    )


async def make_author(client: httpx.AsyncClient, db: Database, username: str = "author1") -> Person:
    return await make_user(client, db, username=username, role=Role.author)


async def make_admin(client: httpx.AsyncClient, db: Database, username: str = "admin1") -> Person:
    return await make_user(client, db, username=username, role=Role.admin)


async def make_learner(
    client: httpx.AsyncClient, db: Database, username: str = "learner1"
) -> Person:
    return await make_user(client, db, username=username, role=Role.learner)


# -- content through the API ---------------------------------------------------------------


def course_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "slug": "french-from-english",
        "title": "French from English",
        "target_language": "fr",
        "target_language_name": "French",
        "source_language": "en",
        "source_language_name": "English",
    }
    body.update(overrides)
    return body


def translate_payload(**overrides: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "type": "translate",
        "prompt": "the cat",
        "prompt_language": "en",
        "answer_language": "fr",
        "accepted": ["[le/un] chat"],
    }
    payload.update(overrides)
    return payload


def multiple_choice_payload(**overrides: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "type": "multiple_choice",
        "prompt": "chat",
        "options": [{"text": "dog", "image": None}, {"text": "cat", "image": None}],
        "correct_index": 1,
    }
    payload.update(overrides)
    return payload


async def post_ok(
    client: httpx.AsyncClient, path: str, person: Person, body: dict[str, Any]
) -> dict[str, Any]:
    reply = await client.post(f"/api/v1{path}", json=body, headers=person.headers)
    assert reply.status_code == 201, reply.text
    result: dict[str, Any] = reply.json()
    return result


@dataclass(frozen=True)
class Tree:
    """A small course made through the API: one unit, one lesson, one exercise."""

    course: dict[str, Any]
    unit: dict[str, Any]
    lesson: dict[str, Any]
    exercise: dict[str, Any]


async def make_tree(
    client: httpx.AsyncClient, author: Person, *, published: bool = True, slug: str = "french"
) -> Tree:
    course = await post_ok(client, "/courses", author, course_body(slug=slug, published=published))
    unit = await post_ok(client, f"/courses/{course['id']}/units", author, {"title": "Basics"})
    lesson = await post_ok(
        client,
        f"/units/{unit['id']}/lessons",
        author,
        {"title": "Animals", "tips_markdown": "# Animals\n\n*le chat* is the cat."},
    )
    exercise = await post_ok(
        client,
        f"/lessons/{lesson['id']}/exercises",
        author,
        {"payload": translate_payload()},
    )
    return Tree(course=course, unit=unit, lesson=lesson, exercise=exercise)


# -- rows ----------------------------------------------------------------------------------


def row_counts(db: Database) -> dict[str, int]:
    with db.session() as session:
        return {
            name: session.scalar(select(func.count()).select_from(model)) or 0
            for name, model in CONTENT_MODELS.items()
        }


def exercise_rows(db: Database) -> dict[str, tuple[int, Any]]:
    """key -> (id, updated_at) of every exercise."""
    with db.session() as session:
        rows = session.execute(select(Exercise.key, Exercise.id, Exercise.updated_at))
        return {key: (row_id, updated_at) for key, row_id, updated_at in rows}


def all_ids(db: Database) -> dict[str, dict[str, tuple[int, Any]]]:
    """Per table: key -> (id, updated_at), for checking that nothing moved."""
    result: dict[str, dict[str, tuple[int, Any]]] = {}
    with db.session() as session:
        for name, model in (
            ("unit", Unit),
            ("lesson", Lesson),
            ("item", Item),
            ("exercise", Exercise),
        ):
            rows = session.execute(select(model.key, model.id, model.updated_at))
            result[name] = {key: (row_id, updated_at) for key, row_id, updated_at in rows}
        course_rows = session.execute(select(Course.slug, Course.id, Course.updated_at))
        result["course"] = {slug: (row_id, updated_at) for slug, row_id, updated_at in course_rows}
    return result


# -- course files --------------------------------------------------------------------------


def shared_course(name: str) -> Path:
    path = SHARED_COURSES / name
    if not path.is_dir():
        missing(f"the shared course {name} is not at {path}")
    return path


@functools.cache
def _read_cached(path: Path) -> CourseSpec:
    return read_course(path)


def shared_spec(name: str) -> CourseSpec:
    """A shared course, read once per test run (specs are immutable)."""
    return _read_cached(shared_course(name))


# The C loader when present (only for speed); both are safe loaders.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load_yaml(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER)  # noqa: S506


@functools.cache
def raw_counts(root: Path) -> Counter[str]:
    """Units, lessons, items straight from the YAML, without the reader under test."""
    counts: Counter[str] = Counter()
    course = _load_yaml(root / "course.yaml")
    for module in course["Modules"]:
        counts["units"] += 1
        module_dir = root / module.strip("/")
        for skill in _load_yaml(module_dir / "module.yaml")["Skills"]:
            counts["lessons"] += 1
            doc = _load_yaml(module_dir / "skills" / skill)
            counts["items"] += len(doc.get("New words") or []) + len(doc.get("Phrases") or [])
    return counts


def copy_course(name: str, dest: Path) -> Path:
    """A writable copy of a shared course."""
    target = dest / name
    shutil.copytree(shared_course(name), target)
    return target


def zip_folder(root: Path, *, folder: str | None = None) -> bytes:
    """Zip a course folder, inside a top folder (default: the folder's own name)."""
    top = root.name if folder is None else folder
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(root.rglob("*")):
            if path.is_file():
                relative = path.relative_to(root).as_posix()
                archive.write(path, f"{top}/{relative}" if top else relative)
    return buffer.getvalue()


@functools.cache
def shared_zip(name: str) -> bytes:
    return zip_folder(shared_course(name))
