"""Import a LibreLingo course (folder or zip) into the database; re-import updates it.

A course is matched by slug, units by key (module folder), lessons by key (skill
Id), items and exercises by their stable content keys (docs/course-format.md).
Matched rows keep their ids, so learners' progress survives a re-import; changed
rows are updated in place, rows missing from the files are deleted, new ones
inserted, and a re-import of identical files writes nothing at all.

The whole import is one transaction. Existing rows are loaded with one query per
table, compared in memory, and written with executemany/bulk statements, so the
Basque course (≈1650 items, ≈7700 exercises) imports in well under a second or two.
"""

from __future__ import annotations

import asyncio
import io
import posixpath
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Row, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.core.database import Database
from app.core.errors import Conflict, Unprocessable
from app.models.base import utcnow
from app.models.content import (
    KEY_LENGTH,
    SLUG_LENGTH,
    TITLE_LENGTH,
    Course,
    Exercise,
    ExerciseItem,
    Item,
    Lesson,
    Unit,
)
from app.schemas.content import ChangeCounts, ImportCounts
from app.schemas.exercises import payload_adapter
from app.services.auth import Account
from app.services.courses import NotCourseEditor, can_edit
from app.services.grading import GrammarError, validate_grammar
from app.services.librelingo import (
    CourseFormatError,
    CourseSpec,
    DictionaryEntry,
    LessonSpec,
    demo_course_path,
    read_course,
    read_course_zip,
    slugify,
)
from app.services.librelingo.sources import (
    MAX_ZIP_FILES,
    MAX_ZIP_TOTAL_SIZE,
    DirectorySource,
    ZipSource,
)

# Rows per DELETE ... IN (...) statement: far below SQLite's bound-parameter limit.
_CHUNK = 500
# Keys derived from a lesson key get longer (item and exercise keys add ~45 characters).
MAX_LESSON_KEY_LENGTH = KEY_LENGTH - 80


class InvalidCourse(Unprocessable):
    """The uploaded course cannot be imported; nothing was written."""

    code = "invalid_course"
    default_message = "The course cannot be imported."

    @classmethod
    def from_format_error(cls, error: CourseFormatError) -> InvalidCourse:
        return cls(
            str(error), details={"file": error.file, "line": error.line, "message": error.message}
        )


class ImportClash(Conflict):
    code = "import_clash"
    default_message = "Another import of this course was saved at the same moment; try again."


# -- checks before writing -----------------------------------------------------------------


def _lesson_file(unit_key: str, lesson: LessonSpec) -> str:
    return f"{unit_key}/skills/{lesson.slug}.yaml"


def _check_length(value: str, limit: int, *, file: str, what: str) -> None:
    if len(value) > limit:
        raise CourseFormatError(
            file=file, line=None, message=f"{what} is longer than {limit} characters: '{value}'"
        )


FileReader = Callable[[str], bytes | None]


def _line_of(read_file: FileReader | None, file: str, *texts: str) -> int | None:
    """Best effort: the line where ``texts`` appear in order (the reader keeps no lines here)."""
    data = read_file(file) if read_file is not None else None
    if data is None:
        return None
    lines = data.decode("utf-8", errors="replace").splitlines()
    start, found = 0, None
    for text in texts:
        for number in range(start, len(lines)):
            if text in lines[number]:
                start, found = number, number + 1
                break
        else:
            return found
    return found


def check_course(spec: CourseSpec, *, read_file: FileReader | None = None) -> None:
    """What the reader does not check but the database and the grader need.

    Raises CourseFormatError: over-long names, accepted answers the grading engine
    cannot compile, generated payloads that fail the payload schema. ``read_file``
    (a course file's bytes by relative path) lets an error name its line.
    """
    _check_length(spec.title, TITLE_LENGTH, file="course.yaml", what="the course title")
    for language in (spec.target_language, spec.source_language):
        _check_length(language.code, 35, file="course.yaml", what="a language code")
        _check_length(language.name, TITLE_LENGTH, file="course.yaml", what="a language name")
    for unit in spec.units:
        module_file = f"{unit.key}/module.yaml"
        _check_length(unit.key, SLUG_LENGTH, file="course.yaml", what="a module folder name")
        _check_length(unit.title, TITLE_LENGTH, file=module_file, what="the module name")
        slugs: set[str] = set()
        for lesson in unit.lessons:
            file = _lesson_file(unit.key, lesson)
            if lesson.slug in slugs:
                raise CourseFormatError(
                    file=module_file,
                    line=None,
                    message=f"two skill files are named '{lesson.slug}'",
                )
            slugs.add(lesson.slug)
            _check_length(lesson.slug, SLUG_LENGTH, file=module_file, what="a skill file name")
            _check_length(lesson.key, MAX_LESSON_KEY_LENGTH, file=file, what="the skill Id")
            _check_length(lesson.title, TITLE_LENGTH, file=file, what="the skill name")
            for item in lesson.items:
                texts = [
                    ("the text", item.text),
                    ("the translation", item.translation),
                    *(("an alternative", text) for text in item.text_alternatives),
                    *(
                        ("an alternative translation", text)
                        for text in item.translation_alternatives
                    ),
                ]
                for what, text in texts:
                    try:
                        validate_grammar(text)
                    except GrammarError as error:
                        raise CourseFormatError(
                            file=file,
                            line=_line_of(read_file, file, item.text, text),
                            message=f"{what} of {item.kind} '{item.text}' is not a valid "
                            f"answer: {error.message} at position {error.position}: '{text}'",
                        ) from error
            for exercise in lesson.exercises:
                try:
                    payload_adapter.validate_python(exercise.payload)
                except ValidationError as error:  # a generator bug, not an author's mistake
                    raise CourseFormatError(
                        file=file,
                        line=None,
                        message=f"exercise {exercise.key} is invalid: {error.errors()[0]['msg']}",
                    ) from error


def course_slug(*, folder: str | None, spec: CourseSpec) -> str:
    """The course folder's name as a slug, else "<target>-from-<source>"."""
    if folder:
        slug = slugify(folder)
    else:
        target, source = spec.target_language.name, spec.source_language.name
        slug = f"{slugify(target)}-from-{slugify(source)}"
    return slug[:SLUG_LENGTH].strip("-")


def zip_folder_name(data: bytes) -> str | None:
    """The name of the folder holding course.yaml in a zip (None when it is at the top)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = [
                name
                for name in archive.namelist()
                if posixpath.basename(name) == "course.yaml" and not name.startswith("__MACOSX/")
            ]
    except zipfile.BadZipFile:
        return None
    if not names:
        return None
    root = posixpath.dirname(min(names, key=lambda name: (name.count("/"), name)))
    return posixpath.basename(root) or None


# -- the plan: desired rows --------------------------------------------------------------------


def _dictionary(entries: Iterable[DictionaryEntry]) -> list[list[Any]]:
    return [[entry.language, entry.word, list(entry.definitions)] for entry in entries]


def _course_values(spec: CourseSpec) -> dict[str, Any]:
    license_ = spec.license
    return {
        "title": spec.title,
        "target_language": spec.target_language.code,
        "target_language_name": spec.target_language.name,
        "source_language": spec.source_language.code,
        "source_language_name": spec.source_language.name,
        "special_characters": list(spec.special_characters),
        "license_name": None if license_ is None else license_.name,
        "license_short_name": None if license_ is None else license_.short_name,
        "license_link": None if license_ is None else license_.link,
        "repository": spec.repository,
        "attribution": spec.attribution,
        "audio_enabled": spec.audio_enabled,
        "mini_dictionary": _dictionary(spec.mini_dictionary),
    }


def _unit_slugs(keys: Sequence[str]) -> list[str]:
    slugs: list[str] = []
    for key in keys:
        base = slugify(key)[: SLUG_LENGTH - 4]
        slug, number = base, 1
        while slug in slugs:
            number += 1
            slug = f"{base}-{number}"
        slugs.append(slug)
    return slugs


@dataclass
class _Plan:
    """Desired rows keyed by their stable keys; parents referenced by key."""

    units: dict[str, dict[str, Any]] = field(default_factory=dict)
    lessons: dict[str, dict[str, Any]] = field(default_factory=dict)  # + "unit_key"
    items: dict[str, dict[str, Any]] = field(default_factory=dict)  # + "lesson_key"
    exercises: dict[str, dict[str, Any]] = field(default_factory=dict)  # + "lesson_key"
    exercise_items: dict[str, tuple[str, ...]] = field(default_factory=dict)


def _plan(spec: CourseSpec) -> _Plan:
    plan = _Plan()
    slugs = _unit_slugs([unit.key for unit in spec.units])
    for unit_position, (unit, slug) in enumerate(zip(spec.units, slugs, strict=True)):
        plan.units[unit.key] = {
            "key": unit.key,
            "slug": slug,
            "title": unit.title,
            "position": unit_position,
        }
        for lesson_position, lesson in enumerate(unit.lessons):
            plan.lessons[lesson.key] = {
                "unit_key": unit.key,
                "key": lesson.key,
                "slug": lesson.slug,
                "title": lesson.title,
                "position": lesson_position,
                "tips_markdown": lesson.tips_markdown,
                "thumbnails": list(lesson.thumbnails),
                "mini_dictionary": _dictionary(lesson.mini_dictionary),
            }
            for position, item in enumerate(lesson.items):
                plan.items[item.key] = {
                    "lesson_key": lesson.key,
                    "key": item.key,
                    "kind": item.kind,
                    "text": item.text,
                    "translation": item.translation,
                    "text_alternatives": list(item.text_alternatives),
                    "translation_alternatives": list(item.translation_alternatives),
                    "images": list(item.images),
                    "position": position,
                }
            for position, exercise in enumerate(lesson.exercises):
                plan.exercises[exercise.key] = {
                    "lesson_key": lesson.key,
                    "key": exercise.key,
                    "type": exercise.type,
                    "position": position,
                    "payload": exercise.payload,
                }
                plan.exercise_items[exercise.key] = exercise.item_keys
    return plan


# -- the diff ------------------------------------------------------------------------------------


@dataclass
class _Diff:
    inserts: list[dict[str, Any]] = field(default_factory=list)
    updates: list[tuple[int, dict[str, Any]]] = field(default_factory=list)  # (id, new values)
    deletes: list[int] = field(default_factory=list)
    unchanged: dict[str, int] = field(default_factory=dict)  # key -> id
    ids: dict[str, int] = field(default_factory=dict)  # key -> id of every kept row

    def counts(self) -> ChangeCounts:
        return ChangeCounts(
            created=len(self.inserts),
            updated=len(self.updates),
            deleted=len(self.deletes),
            unchanged=len(self.unchanged),
        )


def _diff(
    existing: dict[str, dict[str, Any]],
    desired: dict[str, dict[str, Any]],
    *,
    changed: Callable[[dict[str, Any], dict[str, Any]], bool],
) -> _Diff:
    diff = _Diff()
    for key, values in desired.items():
        row = existing.get(key)
        if row is None:
            diff.inserts.append(values)
            continue
        diff.ids[key] = row["id"]
        if changed(row, values):
            diff.updates.append((row["id"], values))
        else:
            diff.unchanged[key] = row["id"]
    diff.deletes = [row["id"] for key, row in existing.items() if key not in desired]
    return diff


def _fields_differ(*names: str) -> Callable[[dict[str, Any], dict[str, Any]], bool]:
    def changed(row: dict[str, Any], values: dict[str, Any]) -> bool:
        return any(row[name] != values[name] for name in names)

    return changed


def _rows(result: Iterable[Row[Any]]) -> list[dict[str, Any]]:
    return [dict(row._mapping) for row in result]


# -- writing -------------------------------------------------------------------------------------


def _chunks(values: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def _delete_ids(
    session: Session, model: type[Unit | Lesson | Item | Exercise], ids: Sequence[int]
) -> None:
    for chunk in _chunks(ids):
        session.execute(
            delete(model).where(model.id.in_(chunk)).execution_options(synchronize_session=False)
        )


def _bulk_update(session: Session, model: type[Any], rows: list[dict[str, Any]]) -> None:
    if rows:
        session.execute(update(model), rows)


def _bulk_insert(session: Session, model: type[Any], rows: list[dict[str, Any]]) -> dict[str, int]:
    """Insert rows and return key -> new id (for the few units and lessons)."""
    if not rows:
        return {}
    result = session.execute(insert(model).returning(model.id, model.key), rows)
    return {key: row_id for row_id, key in result}


def _write_lesson_rows(
    session: Session,
    model: type[Item] | type[Exercise],
    diff: _Diff,
    *,
    fields: Sequence[str],
    lesson_ids: dict[str, int],
    course_id: int,
    now: datetime,
) -> dict[str, int]:
    """Update changed items or exercises and insert new ones; key -> id of every kept row."""
    _bulk_update(
        session,
        model,
        [
            {
                "id": row_id,
                "lesson_id": lesson_ids[values["lesson_key"]],
                **_only(values, *fields),
                "updated_at": now,
            }
            for row_id, values in diff.updates
        ],
    )
    inserted = _bulk_insert_many(
        session,
        model,
        [
            {
                "lesson_id": lesson_ids[values["lesson_key"]],
                "key": values["key"],
                **_only(values, *fields),
                "created_at": now,
                "updated_at": now,
            }
            for values in diff.inserts
        ],
        course_id=course_id,
    )
    return {**diff.ids, **inserted}


def _bulk_insert_many(
    session: Session,
    model: type[Item] | type[Exercise],
    rows: list[dict[str, Any]],
    *,
    course_id: int,
) -> dict[str, int]:
    """Insert many rows, then read back key -> id for the whole course.

    A plain executemany: with RETURNING, psycopg would parse one huge multi-row
    statement per thousand rows, which took most of a PostgreSQL import.
    """
    if not rows:
        return {}
    session.execute(insert(model), rows)
    return dict(
        session.execute(
            select(model.key, model.id)
            .join(Lesson, model.lesson_id == Lesson.id)
            .where(Lesson.course_id == course_id)
        ).all()
    )


def _park_slugs(session: Session, model: type[Unit | Lesson], ids: Iterable[int]) -> None:
    """Give rows a temporary slug, so renames and swaps never collide mid-way."""
    rows = [{"id": row_id, "slug": f"~{row_id}"} for row_id in ids]
    _bulk_update(session, model, rows)


def _only(values: dict[str, Any], *names: str) -> dict[str, Any]:
    return {name: values[name] for name in names}


_UNIT_FIELDS = ("slug", "title", "position")
_LESSON_FIELDS = (
    "slug",
    "title",
    "position",
    "tips_markdown",
    "thumbnails",
    "mini_dictionary",
)
_ITEM_FIELDS = (
    "kind",
    "text",
    "translation",
    "text_alternatives",
    "translation_alternatives",
    "images",
    "position",
)
_EXERCISE_FIELDS = ("type", "position", "payload")


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    course: Course
    counts: ImportCounts
    warnings: list[str]

    @property
    def changed(self) -> bool:
        return any(
            counts.created or counts.updated or counts.deleted
            for counts in (
                self.counts.course,
                self.counts.units,
                self.counts.lessons,
                self.counts.items,
                self.counts.exercises,
            )
        )


def import_course(
    session: Session,
    *,
    spec: CourseSpec,
    slug: str,
    actor: Account | None,
    published: bool | None = None,
    now: datetime | None = None,
) -> ImportOutcome:
    """Create or update the course ``slug`` from ``spec``, in the caller's transaction.

    ``actor`` is None for the command line (trusted); an API caller must be able
    to edit an existing course. ``published`` None keeps the current state (new
    courses start as drafts).
    """
    now = now or utcnow()
    plan = _plan(spec)
    course_values = _course_values(spec)
    course = session.scalars(select(Course).where(Course.slug == slug).with_for_update()).first()
    course_counts = ChangeCounts()
    if course is None:
        course = Course(
            slug=slug,
            description="",
            published=bool(published),
            owner_id=None if actor is None else actor.id,
            created_at=now,
            updated_at=now,
            **course_values,
        )
        session.add(course)
        session.flush()
        course_counts.created = 1
    else:
        if actor is not None and not can_edit(user=actor, owner_id=course.owner_id):
            raise NotCourseEditor(
                f"The course '{slug}' belongs to another author; only they or an admin "
                "may import over it."
            )
        changes = {
            name: value for name, value in course_values.items() if getattr(course, name) != value
        }
        if published is not None and course.published != published:
            changes["published"] = published
        for name, value in changes.items():
            setattr(course, name, value)
        if changes:
            course_counts.updated = 1
        else:
            course_counts.unchanged = 1

    counts = _sync_children(session, course_id=course.id, plan=plan, now=now)
    content_changed = any(
        c.created or c.updated or c.deleted
        for c in (counts["units"], counts["lessons"], counts["items"], counts["exercises"])
    )
    if course_counts.updated or (course_counts.unchanged and content_changed):
        course.updated_at = now  # a course's updated_at also moves when its content changes
    session.flush()
    return ImportOutcome(
        course=course,
        counts=ImportCounts(course=course_counts, **counts),
        warnings=[str(warning) for warning in spec.warnings],
    )


def _sync_children(
    session: Session, *, course_id: int, plan: _Plan, now: datetime
) -> dict[str, ChangeCounts]:
    # 1. Load what exists: one query per table.
    units = {
        row["key"]: row
        for row in _rows(
            session.execute(
                select(Unit.id, Unit.key, Unit.slug, Unit.title, Unit.position).where(
                    Unit.course_id == course_id
                )
            )
        )
    }
    unit_key_by_id = {row["id"]: key for key, row in units.items()}
    lessons = {
        row["key"]: row
        for row in _rows(
            session.execute(
                select(
                    Lesson.id,
                    Lesson.unit_id,
                    Lesson.key,
                    *(getattr(Lesson, name) for name in _LESSON_FIELDS),
                ).where(Lesson.course_id == course_id)
            )
        )
    }
    lesson_key_by_id = {row["id"]: key for key, row in lessons.items()}
    for row in lessons.values():
        row["unit_key"] = unit_key_by_id[row["unit_id"]]
    items = {
        row["key"]: row
        for row in _rows(
            session.execute(
                select(Item.id, Item.lesson_id, Item.key, *(getattr(Item, n) for n in _ITEM_FIELDS))
                .join(Lesson, Item.lesson_id == Lesson.id)
                .where(Lesson.course_id == course_id)
            )
        )
    }
    exercises = {
        row["key"]: row
        for row in _rows(
            session.execute(
                select(
                    Exercise.id,
                    Exercise.lesson_id,
                    Exercise.key,
                    *(getattr(Exercise, n) for n in _EXERCISE_FIELDS),
                )
                .join(Lesson, Exercise.lesson_id == Lesson.id)
                .where(Lesson.course_id == course_id)
            )
        )
    }
    for table in (items, exercises):
        for row in table.values():
            row["lesson_key"] = lesson_key_by_id[row["lesson_id"]]
    item_key_by_id = {row["id"]: key for key, row in items.items()}
    exercise_key_by_id = {row["id"]: key for key, row in exercises.items()}
    links: dict[str, list[str]] = {}
    for exercise_id, item_id in session.execute(
        select(ExerciseItem.exercise_id, ExerciseItem.item_id)
        .join(Exercise, ExerciseItem.exercise_id == Exercise.id)
        .join(Lesson, Exercise.lesson_id == Lesson.id)
        .where(Lesson.course_id == course_id)
        .order_by(ExerciseItem.exercise_id, ExerciseItem.position)
    ):
        links.setdefault(exercise_key_by_id[exercise_id], []).append(item_key_by_id[item_id])
    for key, row in exercises.items():
        row["item_keys"] = tuple(links.get(key, ()))
    desired_exercises = {
        key: {**values, "item_keys": plan.exercise_items[key]}
        for key, values in plan.exercises.items()
    }

    # 2. Compare in memory.
    unit_diff = _diff(units, plan.units, changed=_fields_differ(*_UNIT_FIELDS))
    lesson_diff = _diff(lessons, plan.lessons, changed=_fields_differ("unit_key", *_LESSON_FIELDS))
    item_diff = _diff(items, plan.items, changed=_fields_differ("lesson_key", *_ITEM_FIELDS))
    exercise_diff = _diff(
        exercises,
        desired_exercises,
        changed=_fields_differ("lesson_key", "item_keys", *_EXERCISE_FIELDS),
    )

    # 3. Write: deletions bottom-up first (they free keys and slugs), then units,
    # lessons, items and exercises, each updated in place or inserted.
    _delete_ids(session, Exercise, exercise_diff.deletes)
    _delete_ids(session, Item, item_diff.deletes)
    _delete_ids(session, Lesson, lesson_diff.deletes)

    unit_ids = dict(unit_diff.ids)
    parked_units = [
        row_id
        for row_id, values in unit_diff.updates
        if units[values["key"]]["slug"] != values["slug"]
    ]
    # Units on their way out still hold their slugs until their lessons have moved.
    _park_slugs(session, Unit, [*parked_units, *unit_diff.deletes])
    _bulk_update(
        session,
        Unit,
        [
            {"id": row_id, **_only(values, *_UNIT_FIELDS), "updated_at": now}
            for row_id, values in unit_diff.updates
        ],
    )
    unit_ids.update(
        _bulk_insert(
            session,
            Unit,
            [
                {"course_id": course_id, **values, "created_at": now, "updated_at": now}
                for values in unit_diff.inserts
            ],
        )
    )

    lesson_ids = dict(lesson_diff.ids)
    _park_slugs(
        session,
        Lesson,
        [
            row_id
            for row_id, values in lesson_diff.updates
            if (lessons[values["key"]]["slug"], lessons[values["key"]]["unit_key"])
            != (values["slug"], values["unit_key"])
        ],
    )
    _bulk_update(
        session,
        Lesson,
        [
            {
                "id": row_id,
                "unit_id": unit_ids[values["unit_key"]],
                **_only(values, *_LESSON_FIELDS),
                "updated_at": now,
            }
            for row_id, values in lesson_diff.updates
        ],
    )
    lesson_ids.update(
        _bulk_insert(
            session,
            Lesson,
            [
                {
                    "course_id": course_id,
                    "unit_id": unit_ids[values["unit_key"]],
                    "key": values["key"],
                    **_only(values, *_LESSON_FIELDS),
                    "created_at": now,
                    "updated_at": now,
                }
                for values in lesson_diff.inserts
            ],
        )
    )
    _delete_ids(session, Unit, unit_diff.deletes)

    item_ids = _write_lesson_rows(
        session, Item, item_diff, fields=_ITEM_FIELDS, lesson_ids=lesson_ids,
        course_id=course_id, now=now,
    )  # fmt: skip
    exercise_ids = _write_lesson_rows(
        session, Exercise, exercise_diff, fields=_EXERCISE_FIELDS, lesson_ids=lesson_ids,
        course_id=course_id, now=now,
    )  # fmt: skip

    # Links: rewritten for updated exercises, written for new ones.
    relinked = [
        row_id
        for row_id, values in exercise_diff.updates
        if values["item_keys"] != exercises[values["key"]]["item_keys"]
    ]
    for chunk in _chunks(relinked):
        session.execute(delete(ExerciseItem).where(ExerciseItem.exercise_id.in_(chunk)))
    relinked_keys = {exercise_key_by_id[row_id] for row_id in relinked}
    new_links = [
        {"exercise_id": exercise_ids[key], "item_id": item_ids[item_key], "position": number}
        for key in [*relinked_keys, *(values["key"] for values in exercise_diff.inserts)]
        for number, item_key in enumerate(plan.exercise_items[key])
    ]
    if new_links:
        session.execute(insert(ExerciseItem), new_links)

    return {
        "units": unit_diff.counts(),
        "lessons": lesson_diff.counts(),
        "items": item_diff.counts(),
        "exercises": exercise_diff.counts(),
    }


# -- entry points --------------------------------------------------------------------------------


def _zip_file_reader(data: bytes) -> FileReader:
    folder_files = ZipSource.from_bytes(
        data, max_total_size=MAX_ZIP_TOTAL_SIZE, max_files=MAX_ZIP_FILES
    )
    return folder_files.read


def _folder_file_reader(root: Path) -> FileReader:
    return DirectorySource(root).read


def read_checked_zip(data: bytes) -> tuple[CourseSpec, str | None]:
    """Read and check an uploaded zip (CPU work: run it off the event loop)."""
    spec = read_course_zip(data)
    # Files are read again only to name the line of an error.
    check_course(spec, read_file=lambda path: _zip_file_reader(data)(path))
    return spec, zip_folder_name(data)


async def import_zip(
    *,
    db: Database,
    data: bytes,
    actor: Account,
    slug: str | None = None,
    published: bool | None = None,
) -> ImportOutcome:
    """Import an uploaded zip of a course folder: InvalidCourse (422) if it is broken."""
    try:
        spec, folder = await asyncio.to_thread(read_checked_zip, data)
    except CourseFormatError as error:
        raise InvalidCourse.from_format_error(error) from error
    target = slug or course_slug(folder=folder, spec=spec)
    try:
        return await db.write(
            lambda session: import_course(
                session, spec=spec, slug=target, actor=actor, published=published
            )
        )
    except IntegrityError as error:  # two first imports of one slug at the same moment
        raise ImportClash from error


def import_folder(
    db: Database, path: Path, *, slug: str | None = None, published: bool | None = None
) -> ImportOutcome:
    """Import a course folder from the command line (no owner check)."""
    spec = read_course(path)
    check_course(spec, read_file=_folder_file_reader(path))
    target = slug or course_slug(folder=path.resolve().name, spec=spec)
    return db.run_write(
        lambda session: import_course(
            session, spec=spec, slug=target, actor=None, published=published
        )
    )


def ensure_demo_course(db: Database) -> ImportOutcome | None:
    """Import the shipped demo course, published, unless a course with its slug exists."""
    path = demo_course_path()
    slug = slugify(path.name)
    with db.session() as session:
        if session.scalar(select(Course.id).where(Course.slug == slug)) is not None:
            return None
    spec = read_course(path)
    check_course(spec)

    def work(session: Session) -> ImportOutcome | None:
        if session.scalar(select(Course.id).where(Course.slug == slug)) is not None:
            return None
        return import_course(session, spec=spec, slug=slug, actor=None, published=True)

    try:
        return db.run_write(work)
    except IntegrityError:  # another process loaded it at the same moment
        return None
