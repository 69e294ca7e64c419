"""Courses, units, lessons and exercises: who may see and edit them, and their CRUD.

Visibility: a published course is readable by everyone; a draft only by its owner
and admins, and to anybody else it does not exist (404, so drafts do not leak).
Editing: admins edit every course, authors the courses they own.

Every function here is a unit of work over a Session (run with ``db.read`` /
``db.write``); routers call them and shape the reply.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from sqlalchemy import ColumnElement, Select, delete, func, or_, select, true, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.core.errors import Conflict, Forbidden, NotFound, Unprocessable
from app.models.base import utcnow
from app.models.content import Course, Exercise, ExerciseItem, Item, Lesson, Unit
from app.models.learning import Enrollment, LessonProgress
from app.models.user import Role
from app.schemas.content import (
    CourseCreate,
    CoursePublic,
    CourseTree,
    CourseUpdate,
    ExerciseAuthorView,
    ExerciseCreate,
    ExercisePublic,
    ExerciseUpdate,
    LessonCreate,
    LessonPublic,
    LessonSummary,
    LessonUpdate,
    License,
    TreeLesson,
    TreeUnit,
    UnitCreate,
    UnitUpdate,
)
from app.schemas.exercises import ExercisePayload, public_payload
from app.services import path
from app.services.auth import Account
from app.services.grading_preview import check_grammar
from app.services.librelingo import slugify

# -- errors ------------------------------------------------------------------------------


class CourseNotFound(NotFound):
    code = "course_not_found"
    default_message = "No such course."


class UnitNotFound(NotFound):
    code = "unit_not_found"
    default_message = "No such unit."


class LessonNotFound(NotFound):
    code = "lesson_not_found"
    default_message = "No such lesson."


class ExerciseNotFound(NotFound):
    code = "exercise_not_found"
    default_message = "No such exercise."


class NotCourseEditor(Forbidden):
    code = "not_course_editor"
    default_message = "Only the course's author or an admin may change it."


class SlugTaken(Conflict):
    code = "slug_taken"
    default_message = "That slug is already used here."


class KeyTaken(Conflict):
    code = "key_taken"
    default_message = "That key is already used here."


class UnknownItems(Unprocessable):
    code = "unknown_items"
    default_message = "Some item ids do not belong to this course."


# -- access --------------------------------------------------------------------------------


def can_edit(*, user: Account | None, owner_id: int | None) -> bool:
    if user is None:
        return False
    return user.role is Role.admin or (user.role is Role.author and user.id == owner_id)


def can_view(*, user: Account | None, owner_id: int | None, published: bool) -> bool:
    if published:
        return True
    return user is not None and (user.role is Role.admin or user.id == owner_id)


def _visible_to(user: Account | None) -> ColumnElement[bool]:
    if user is not None and user.role is Role.admin:
        return true()
    if user is None:
        return Course.published.is_(True)
    return or_(Course.published.is_(True), Course.owner_id == user.id)


@dataclass(frozen=True, slots=True)
class CourseAccess:
    """The course an object belongs to, and what the caller may do with it."""

    id: int
    owner_id: int | None
    published: bool
    can_edit: bool


@dataclass(frozen=True, slots=True)
class CourseContext:
    course: Course
    access: CourseAccess


@dataclass(frozen=True, slots=True)
class UnitContext:
    unit: Unit
    access: CourseAccess


@dataclass(frozen=True, slots=True)
class LessonContext:
    lesson: Lesson
    access: CourseAccess


@dataclass(frozen=True, slots=True)
class ExerciseContext:
    exercise: Exercise
    access: CourseAccess


def _access(
    *, user: Account | None, course_id: int, owner_id: int | None, published: bool
) -> CourseAccess | None:
    if not can_view(user=user, owner_id=owner_id, published=published):
        return None
    return CourseAccess(
        id=course_id,
        owner_id=owner_id,
        published=published,
        can_edit=can_edit(user=user, owner_id=owner_id),
    )


def load_course(session: Session, *, course_id: int, user: Account | None) -> CourseContext:
    course = session.get(Course, course_id)
    access = None
    if course is not None:
        access = _access(
            user=user, course_id=course.id, owner_id=course.owner_id, published=course.published
        )
    if course is None or access is None:
        raise CourseNotFound
    return CourseContext(course=course, access=access)


C = TypeVar("C", Unit, Lesson)


def _load_in_course(
    session: Session, *, model: type[C], object_id: int, user: Account | None
) -> tuple[C, CourseAccess] | None:
    """A unit or lesson with what ``user`` may do with its course; None if invisible."""
    row = session.execute(
        select(model, Course.owner_id, Course.published)
        .join(Course, model.course_id == Course.id)
        .where(model.id == object_id)
    ).one_or_none()
    if row is None:
        return None
    found: C = row[0]
    access = _access(user=user, course_id=found.course_id, owner_id=row[1], published=row[2])
    return None if access is None else (found, access)


def load_unit(session: Session, *, unit_id: int, user: Account | None) -> UnitContext:
    loaded = _load_in_course(session, model=Unit, object_id=unit_id, user=user)
    if loaded is None:
        raise UnitNotFound
    return UnitContext(unit=loaded[0], access=loaded[1])


def load_lesson(session: Session, *, lesson_id: int, user: Account | None) -> LessonContext:
    loaded = _load_in_course(session, model=Lesson, object_id=lesson_id, user=user)
    if loaded is None:
        raise LessonNotFound
    return LessonContext(lesson=loaded[0], access=loaded[1])


def load_exercise(session: Session, *, exercise_id: int, user: Account | None) -> ExerciseContext:
    row = session.execute(
        select(Exercise, Lesson.course_id, Course.owner_id, Course.published)
        .join(Lesson, Exercise.lesson_id == Lesson.id)
        .join(Course, Lesson.course_id == Course.id)
        .where(Exercise.id == exercise_id)
    ).one_or_none()
    access = None
    if row is not None:
        access = _access(user=user, course_id=row[1], owner_id=row[2], published=row[3])
    if row is None or access is None:
        raise ExerciseNotFound
    return ExerciseContext(exercise=row[0], access=access)


def find_course_id(session: Session, *, slug_or_id: str) -> int:
    """A course's id from its slug or its id (for the CLI)."""
    found = session.scalar(select(Course.id).where(Course.slug == slug_or_id))
    if found is None and slug_or_id.isdigit():
        found = session.scalar(select(Course.id).where(Course.id == int(slug_or_id)))
    if found is None:
        raise CourseNotFound(f"No course with slug or id '{slug_or_id}'.")
    return found


# -- shaping replies -----------------------------------------------------------------------


def course_public(course: Course, *, can_edit: bool) -> CoursePublic:
    license_ = None
    if course.license_name is not None:
        license_ = License(
            name=course.license_name,
            short_name=course.license_short_name,
            link=course.license_link,
        )
    return CoursePublic(
        id=course.id,
        slug=course.slug,
        title=course.title,
        target_language=course.target_language,
        target_language_name=course.target_language_name,
        source_language=course.source_language,
        source_language_name=course.source_language_name,
        description=course.description,
        special_characters=list(course.special_characters),
        license=license_,
        repository=course.repository,
        attribution=course.attribution,
        audio_enabled=course.audio_enabled,
        published=course.published,
        owner_id=course.owner_id,
        can_edit=can_edit,
        created_at=course.created_at,
        updated_at=course.updated_at,
    )


def exercise_view(
    exercise: Exercise, *, item_ids: Sequence[int], author: bool
) -> ExerciseAuthorView | ExercisePublic:
    """The author view (answers included) or the learner view (never an answer)."""
    if author:
        return ExerciseAuthorView.model_validate(
            {
                "id": exercise.id,
                "lesson_id": exercise.lesson_id,
                "key": exercise.key,
                "type": exercise.type,
                "position": exercise.position,
                "payload": exercise.payload,
                "item_ids": list(item_ids),
                "created_at": exercise.created_at,
                "updated_at": exercise.updated_at,
            }
        )
    return ExercisePublic(
        id=exercise.id,
        lesson_id=exercise.lesson_id,
        type=exercise.type,
        position=exercise.position,
        payload=public_payload(exercise.payload, seed=exercise.key),
    )


def touch_course(session: Session, *, course_id: int) -> None:
    """Mark the course's content as changed: caches of its exercises key on this."""
    session.execute(update(Course).where(Course.id == course_id).values(updated_at=utcnow()))


# -- ordering ------------------------------------------------------------------------------


class _Positioned(Protocol):
    position: int


P = TypeVar("P", bound=_Positioned)


def _place(siblings: Sequence[P], moved: P, position: int | None) -> None:
    """Put ``moved`` at ``position`` (default: last) and number everything 0..n-1."""
    ordered = [sibling for sibling in siblings if sibling is not moved]
    index = len(ordered) if position is None else min(position, len(ordered))
    ordered.insert(index, moved)
    for number, sibling in enumerate(ordered):
        if sibling.position != number:
            sibling.position = number


def _renumber(siblings: Sequence[P]) -> None:
    for number, sibling in enumerate(siblings):
        if sibling.position != number:
            sibling.position = number


def _flush(session: Session, conflict: Conflict) -> None:
    try:
        session.flush()
    except IntegrityError as error:  # a concurrent write took the slug or key first
        raise conflict from error


def _page(
    session: Session, query: Select[Any], *, offset: int, limit: int
) -> tuple[list[Any], int]:
    count = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    rows = list(session.scalars(query.offset(offset).limit(limit)))
    return rows, count


# -- courses -------------------------------------------------------------------------------


def list_courses(
    session: Session, *, user: Account | None, offset: int, limit: int
) -> tuple[list[CoursePublic], int]:
    query = select(Course).where(_visible_to(user)).order_by(Course.title, Course.id)
    rows, count = _page(session, query, offset=offset, limit=limit)
    return [
        course_public(row, can_edit=can_edit(user=user, owner_id=row.owner_id)) for row in rows
    ], count


def _check_course_slug(session: Session, *, slug: str, course_id: int | None = None) -> None:
    query = select(Course.id).where(Course.slug == slug)
    if course_id is not None:
        query = query.where(Course.id != course_id)
    if session.scalar(query) is not None:
        raise SlugTaken(f"A course with slug '{slug}' already exists.", details={"field": "slug"})


def _license_columns(data: dict[str, Any]) -> dict[str, Any]:
    if "license" not in data:
        return data
    license_ = data.pop("license")
    data["license_name"] = None if license_ is None else license_["name"]
    data["license_short_name"] = None if license_ is None else license_.get("short_name")
    data["license_link"] = None if license_ is None else license_.get("link")
    return data


def create_course(session: Session, *, data: CourseCreate, owner_id: int) -> Course:
    _check_course_slug(session, slug=data.slug)
    course = Course(owner_id=owner_id, **_license_columns(data.model_dump()))
    session.add(course)
    _flush(session, SlugTaken(details={"field": "slug"}))
    return course


def update_course(session: Session, *, course_id: int, changes: CourseUpdate) -> Course:
    course = session.get_one(Course, course_id)
    values = _license_columns(changes.model_dump(exclude_unset=True))
    if "slug" in values:
        _check_course_slug(session, slug=values["slug"], course_id=course_id)
    for field, value in values.items():
        if getattr(course, field) != value:
            setattr(course, field, value)
    _flush(session, SlugTaken(details={"field": "slug"}))
    return course


def delete_course(session: Session, *, course_id: int) -> None:
    # The database cascades to units, lessons, items and exercises in one statement.
    session.execute(delete(Course).where(Course.id == course_id))


def course_tree(session: Session, *, course: Course, can_edit: bool, user_id: int) -> CourseTree:
    """The whole path of a course in one reply: units, lessons, sizes and the learner's state."""
    units = session.scalars(
        select(Unit).where(Unit.course_id == course.id).order_by(Unit.position, Unit.id)
    ).all()
    lessons = session.scalars(
        select(Lesson).where(Lesson.course_id == course.id).order_by(Lesson.position, Lesson.id)
    ).all()
    counts = _lesson_counts(session, course_id=course.id)
    order = [lesson_id for lesson_id, _, _ in path.ordered_lessons(session, course_id=course.id)]
    done = dict(
        session.execute(
            select(LessonProgress.lesson_id, LessonProgress.times_completed).where(
                LessonProgress.user_id == user_id, LessonProgress.course_id == course.id
            )
        ).all()
    )
    states = path.states_for(order, set(done))
    enrolled = session.scalar(
        select(Enrollment.id).where(
            Enrollment.user_id == user_id, Enrollment.course_id == course.id
        )
    )
    by_unit: dict[int, list[TreeLesson]] = {}
    for lesson in lessons:
        exercises, items = counts.get(lesson.id, (0, 0))
        by_unit.setdefault(lesson.unit_id, []).append(
            TreeLesson(
                id=lesson.id,
                key=lesson.key,
                slug=lesson.slug,
                title=lesson.title,
                position=lesson.position,
                exercise_count=exercises,
                item_count=items,
                state=states[lesson.id],
                times_completed=done.get(lesson.id, 0),
            )
        )
    return CourseTree(
        **course_public(course, can_edit=can_edit).model_dump(),
        enrolled=enrolled is not None,
        current_lesson_id=path.current_lesson(states, order),
        units=[
            TreeUnit(
                id=unit.id,
                key=unit.key,
                slug=unit.slug,
                title=unit.title,
                position=unit.position,
                lessons=by_unit.get(unit.id, []),
            )
            for unit in units
        ],
    )


def _lesson_counts(
    session: Session, *, course_id: int | None = None, lesson_ids: Sequence[int] = ()
) -> dict[int, tuple[int, int]]:
    """(exercise count, item count) per lesson, for a course or some lessons."""

    def per_lesson(model: type[Exercise] | type[Item]) -> dict[int, int]:
        query = select(model.lesson_id, func.count()).group_by(model.lesson_id)
        if course_id is not None:
            query = query.join(Lesson, model.lesson_id == Lesson.id).where(
                Lesson.course_id == course_id
            )
        else:
            query = query.where(model.lesson_id.in_(lesson_ids))
        return dict(session.execute(query).all())

    exercises = per_lesson(Exercise)
    items = per_lesson(Item)
    return {
        lesson_id: (exercises.get(lesson_id, 0), items.get(lesson_id, 0))
        for lesson_id in exercises.keys() | items.keys()
    }


# -- units ---------------------------------------------------------------------------------


def _units_query(course_id: int) -> Select[Unit]:
    return select(Unit).where(Unit.course_id == course_id).order_by(Unit.position, Unit.id)


def _units_of(session: Session, course_id: int) -> list[Unit]:
    return list(session.scalars(_units_query(course_id)))


def list_units(
    session: Session, *, course_id: int, offset: int, limit: int
) -> tuple[list[Unit], int]:
    return _page(session, _units_query(course_id), offset=offset, limit=limit)


def _check_unit_names(
    siblings: Sequence[Unit], *, slug: str | None, key: str | None, unit_id: int | None = None
) -> None:
    for unit in siblings:
        if unit.id == unit_id:
            continue
        if slug is not None and unit.slug == slug:
            raise SlugTaken(
                f"This course already has a unit with slug '{slug}'.", details={"field": "slug"}
            )
        if key is not None and unit.key == key:
            raise KeyTaken(
                f"This course already has a unit with key '{key}'.", details={"field": "key"}
            )


def create_unit(session: Session, *, course_id: int, data: UnitCreate) -> Unit:
    slug = data.slug or slugify(data.title)[:100]
    key = data.key or slug
    siblings = _units_of(session, course_id)
    _check_unit_names(siblings, slug=slug, key=key)
    unit = Unit(course_id=course_id, key=key, slug=slug, title=data.title, position=len(siblings))
    session.add(unit)
    _place(siblings, unit, data.position)
    _flush(session, SlugTaken(details={"field": "slug"}))
    touch_course(session, course_id=course_id)
    return unit


def update_unit(session: Session, *, unit_id: int, changes: UnitUpdate) -> Unit:
    unit = session.get_one(Unit, unit_id)
    siblings = _units_of(session, unit.course_id)
    values = changes.model_dump(exclude_unset=True)
    if "slug" in values:
        _check_unit_names(siblings, slug=values["slug"], key=None, unit_id=unit.id)
    for field in ("title", "slug"):
        if field in values and getattr(unit, field) != values[field]:
            setattr(unit, field, values[field])
    if "position" in values:
        _place(siblings, unit, values["position"])
    _flush(session, SlugTaken(details={"field": "slug"}))
    touch_course(session, course_id=unit.course_id)
    return unit


def delete_unit(session: Session, *, unit_id: int) -> None:
    unit = session.get_one(Unit, unit_id)
    session.execute(delete(Unit).where(Unit.id == unit_id))
    _renumber([sibling for sibling in _units_of(session, unit.course_id) if sibling.id != unit_id])
    touch_course(session, course_id=unit.course_id)


# -- lessons -------------------------------------------------------------------------------


def _lessons_query(unit_id: int) -> Select[Lesson]:
    return select(Lesson).where(Lesson.unit_id == unit_id).order_by(Lesson.position, Lesson.id)


def _lessons_of(session: Session, unit_id: int) -> list[Lesson]:
    return list(session.scalars(_lessons_query(unit_id)))


def list_lessons(
    session: Session, *, unit_id: int, offset: int, limit: int
) -> tuple[list[LessonSummary], int]:
    lessons, count = _page(session, _lessons_query(unit_id), offset=offset, limit=limit)
    counts = _lesson_counts(session, lesson_ids=[lesson.id for lesson in lessons])
    return [
        LessonSummary(
            id=lesson.id,
            unit_id=lesson.unit_id,
            course_id=lesson.course_id,
            key=lesson.key,
            slug=lesson.slug,
            title=lesson.title,
            position=lesson.position,
            exercise_count=counts.get(lesson.id, (0, 0))[0],
            item_count=counts.get(lesson.id, (0, 0))[1],
        )
        for lesson in lessons
    ], count


def lesson_public(session: Session, *, lesson: Lesson) -> LessonPublic:
    exercises, items = _lesson_counts(session, lesson_ids=[lesson.id]).get(lesson.id, (0, 0))
    return LessonPublic(
        id=lesson.id,
        unit_id=lesson.unit_id,
        course_id=lesson.course_id,
        key=lesson.key,
        slug=lesson.slug,
        title=lesson.title,
        position=lesson.position,
        exercise_count=exercises,
        item_count=items,
        tips_markdown=lesson.tips_markdown,
        thumbnails=list(lesson.thumbnails),
        created_at=lesson.created_at,
        updated_at=lesson.updated_at,
    )


def _check_lesson_names(
    session: Session,
    *,
    course_id: int,
    unit_id: int,
    slug: str | None,
    key: str | None,
    lesson_id: int | None = None,
) -> None:
    others = select(Lesson.id).where(Lesson.id != (lesson_id or 0))
    if slug is not None and session.scalar(
        others.where(Lesson.unit_id == unit_id, Lesson.slug == slug)
    ):
        raise SlugTaken(
            f"This unit already has a lesson with slug '{slug}'.", details={"field": "slug"}
        )
    if key is not None and session.scalar(
        others.where(Lesson.course_id == course_id, Lesson.key == key)
    ):
        raise KeyTaken(
            f"This course already has a lesson with key '{key}'.", details={"field": "key"}
        )


def create_lesson(session: Session, *, unit: Unit, data: LessonCreate) -> LessonPublic:
    slug = data.slug or slugify(data.title)[:100]
    key = data.key or slug
    _check_lesson_names(session, course_id=unit.course_id, unit_id=unit.id, slug=slug, key=key)
    siblings = _lessons_of(session, unit.id)
    lesson = Lesson(
        course_id=unit.course_id,
        unit_id=unit.id,
        key=key,
        slug=slug,
        title=data.title,
        position=len(siblings),
        tips_markdown=data.tips_markdown,
        thumbnails=list(data.thumbnails),
        mini_dictionary=[],
    )
    session.add(lesson)
    _place(siblings, lesson, data.position)
    _flush(session, SlugTaken(details={"field": "slug"}))
    touch_course(session, course_id=unit.course_id)
    return lesson_public(session, lesson=lesson)


def update_lesson(session: Session, *, lesson_id: int, changes: LessonUpdate) -> LessonPublic:
    lesson = session.get_one(Lesson, lesson_id)
    values = changes.model_dump(exclude_unset=True)
    if "slug" in values:
        _check_lesson_names(
            session,
            course_id=lesson.course_id,
            unit_id=lesson.unit_id,
            slug=values["slug"],
            key=None,
            lesson_id=lesson.id,
        )
    for field in ("title", "slug", "tips_markdown", "thumbnails"):
        if field in values and getattr(lesson, field) != values[field]:
            setattr(lesson, field, values[field])
    if "position" in values:
        _place(_lessons_of(session, lesson.unit_id), lesson, values["position"])
    _flush(session, SlugTaken(details={"field": "slug"}))
    touch_course(session, course_id=lesson.course_id)
    return lesson_public(session, lesson=lesson)


def delete_lesson(session: Session, *, lesson_id: int) -> None:
    lesson = session.get_one(Lesson, lesson_id)
    session.execute(delete(Lesson).where(Lesson.id == lesson_id))
    _renumber([other for other in _lessons_of(session, lesson.unit_id) if other.id != lesson_id])
    touch_course(session, course_id=lesson.course_id)


# -- exercises -----------------------------------------------------------------------------


def check_payload_grammar(payload: ExercisePayload) -> None:
    """Every accepted answer must compile in the alternatives grammar.

    Raises MalformedGrammar (422) naming ``payload.accepted.<n>`` and the position,
    the same error the grading preview gives.
    """
    accepted: list[str] | None = getattr(payload, "accepted", None)
    if accepted is not None:
        check_grammar(accepted, field="payload.accepted")


def _item_ids(session: Session, exercise_ids: Sequence[int]) -> dict[int, list[int]]:
    links: dict[int, list[int]] = {exercise_id: [] for exercise_id in exercise_ids}
    if exercise_ids:
        rows = session.execute(
            select(ExerciseItem.exercise_id, ExerciseItem.item_id)
            .where(ExerciseItem.exercise_id.in_(exercise_ids))
            .order_by(ExerciseItem.exercise_id, ExerciseItem.position)
        )
        for exercise_id, item_id in rows:
            links[exercise_id].append(item_id)
    return links


def exercise_item_ids(session: Session, *, exercise_id: int) -> list[int]:
    return _item_ids(session, [exercise_id])[exercise_id]


def list_exercises(
    session: Session, *, lesson_id: int, author: bool, offset: int, limit: int
) -> tuple[list[ExerciseAuthorView | ExercisePublic], int]:
    query = (
        select(Exercise)
        .where(Exercise.lesson_id == lesson_id)
        .order_by(Exercise.position, Exercise.id)
    )
    exercises, count = _page(session, query, offset=offset, limit=limit)
    links = _item_ids(session, [exercise.id for exercise in exercises]) if author else {}
    return [
        exercise_view(exercise, item_ids=links.get(exercise.id, []), author=author)
        for exercise in exercises
    ], count


def _exercises_of(session: Session, lesson_id: int) -> list[Exercise]:
    return list(
        session.scalars(
            select(Exercise)
            .where(Exercise.lesson_id == lesson_id)
            .order_by(Exercise.position, Exercise.id)
        )
    )


def _link_items(
    session: Session, *, exercise_id: int, course_id: int, item_ids: Sequence[int]
) -> None:
    wanted = list(dict.fromkeys(item_ids))
    if wanted:
        found = set(
            session.scalars(
                select(Item.id)
                .join(Lesson, Item.lesson_id == Lesson.id)
                .where(Item.id.in_(wanted), Lesson.course_id == course_id)
            )
        )
        unknown = [item_id for item_id in wanted if item_id not in found]
        if unknown:
            raise UnknownItems(details={"field": "item_ids", "unknown": unknown})
    session.execute(delete(ExerciseItem).where(ExerciseItem.exercise_id == exercise_id))
    session.add_all(
        ExerciseItem(exercise_id=exercise_id, item_id=item_id, position=number)
        for number, item_id in enumerate(wanted)
    )


def create_exercise(
    session: Session, *, lesson: Lesson, data: ExerciseCreate
) -> ExerciseAuthorView:
    check_payload_grammar(data.payload)
    key = data.key or f"custom-{secrets.token_hex(4)}"
    if session.scalar(
        select(Exercise.id).where(Exercise.lesson_id == lesson.id, Exercise.key == key)
    ):
        raise KeyTaken(
            f"This lesson already has an exercise with key '{key}'.", details={"field": "key"}
        )
    siblings = _exercises_of(session, lesson.id)
    exercise = Exercise(
        lesson_id=lesson.id,
        key=key,
        type=data.payload.type,
        position=len(siblings),
        payload=data.payload.model_dump(mode="json"),
    )
    session.add(exercise)
    _place(siblings, exercise, data.position)
    _flush(session, KeyTaken(details={"field": "key"}))
    _link_items(
        session, exercise_id=exercise.id, course_id=lesson.course_id, item_ids=data.item_ids
    )
    touch_course(session, course_id=lesson.course_id)
    session.flush()
    view = exercise_view(exercise, item_ids=list(dict.fromkeys(data.item_ids)), author=True)
    assert isinstance(view, ExerciseAuthorView)
    return view


def update_exercise(
    session: Session, *, exercise_id: int, course_id: int, changes: ExerciseUpdate
) -> ExerciseAuthorView:
    exercise = session.get_one(Exercise, exercise_id)
    if changes.payload is not None:
        check_payload_grammar(changes.payload)
        payload = changes.payload.model_dump(mode="json")
        if payload != exercise.payload:
            exercise.payload = payload
            exercise.type = changes.payload.type
    if changes.position is not None:
        _place(_exercises_of(session, exercise.lesson_id), exercise, changes.position)
    if changes.item_ids is not None:
        _link_items(
            session, exercise_id=exercise.id, course_id=course_id, item_ids=changes.item_ids
        )
    touch_course(session, course_id=course_id)
    session.flush()
    view = exercise_view(
        exercise, item_ids=exercise_item_ids(session, exercise_id=exercise.id), author=True
    )
    assert isinstance(view, ExerciseAuthorView)
    return view


def delete_exercise(session: Session, *, exercise_id: int) -> None:
    exercise = session.get_one(Exercise, exercise_id)
    session.execute(delete(Exercise).where(Exercise.id == exercise_id))
    _renumber(
        [other for other in _exercises_of(session, exercise.lesson_id) if other.id != exercise_id]
    )
    touch_course(session, course_id=session.get_one(Lesson, exercise.lesson_id).course_id)
