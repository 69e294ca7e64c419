"""Loaded-and-authorised content: every route that touches a course, unit, lesson or
exercise takes one of these, so visibility and ownership checks cannot be forgotten.

``Readable*`` 404s when the object is missing or its course is a draft the caller
may not see (a draft must not leak through a 403); ``Editable*`` also 403s unless
the caller may edit the course. ``CatalogueCourse`` works without signing in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query

from app.deps.core import Auth, CurrentUser, Db, oauth2_scheme
from app.services import auth as auth_service
from app.services import courses
from app.services.auth import Account
from app.services.courses import (
    CourseContext,
    ExerciseContext,
    LessonContext,
    NotCourseEditor,
    UnitContext,
)

MAX_PAGE_SIZE = 100


async def optional_account(
    db: Db, auth: Auth, token: Annotated[str | None, Depends(oauth2_scheme)]
) -> Account | None:
    """The signed-in user, or None without a token (a bad token is still a 401)."""
    if not token:
        return None
    return await auth_service.account_for_access_token(db=db, auth=auth, token=token)


OptionalUser = Annotated[Account | None, Depends(optional_account)]


@dataclass(frozen=True, slots=True)
class Paging:
    offset: int
    limit: int


async def paging(
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 20,
) -> Paging:
    return Paging(offset=offset, limit=limit)


PageParams = Annotated[Paging, Depends(paging)]


# -- courses ---------------------------------------------------------------------------------


async def catalogue_course(course_id: int, db: Db, user: OptionalUser) -> CourseContext:
    return await db.read(
        lambda session: courses.load_course(session, course_id=course_id, user=user)
    )


async def readable_course(course_id: int, db: Db, user: CurrentUser) -> CourseContext:
    return await db.read(
        lambda session: courses.load_course(session, course_id=course_id, user=user)
    )


CatalogueCourse = Annotated[CourseContext, Depends(catalogue_course)]
ReadableCourse = Annotated[CourseContext, Depends(readable_course)]


async def editable_course(context: ReadableCourse) -> CourseContext:
    if not context.access.can_edit:
        raise NotCourseEditor
    return context


EditableCourse = Annotated[CourseContext, Depends(editable_course)]


# -- units -------------------------------------------------------------------------------------


async def readable_unit(unit_id: int, db: Db, user: CurrentUser) -> UnitContext:
    return await db.read(lambda session: courses.load_unit(session, unit_id=unit_id, user=user))


ReadableUnit = Annotated[UnitContext, Depends(readable_unit)]


async def editable_unit(context: ReadableUnit) -> UnitContext:
    if not context.access.can_edit:
        raise NotCourseEditor
    return context


EditableUnit = Annotated[UnitContext, Depends(editable_unit)]


# -- lessons -----------------------------------------------------------------------------------


async def readable_lesson(lesson_id: int, db: Db, user: CurrentUser) -> LessonContext:
    return await db.read(
        lambda session: courses.load_lesson(session, lesson_id=lesson_id, user=user)
    )


ReadableLesson = Annotated[LessonContext, Depends(readable_lesson)]


async def editable_lesson(context: ReadableLesson) -> LessonContext:
    if not context.access.can_edit:
        raise NotCourseEditor
    return context


EditableLesson = Annotated[LessonContext, Depends(editable_lesson)]


# -- exercises ---------------------------------------------------------------------------------


async def readable_exercise(exercise_id: int, db: Db, user: CurrentUser) -> ExerciseContext:
    return await db.read(
        lambda session: courses.load_exercise(session, exercise_id=exercise_id, user=user)
    )


ReadableExercise = Annotated[ExerciseContext, Depends(readable_exercise)]


async def editable_exercise(context: ReadableExercise) -> ExerciseContext:
    if not context.access.can_edit:
        raise NotCourseEditor
    return context


EditableExercise = Annotated[ExerciseContext, Depends(editable_exercise)]
