"""Lessons (LibreLingo skills) of a unit."""

from __future__ import annotations

from fastapi import APIRouter, status

from app.core.errors import responses
from app.deps import Db
from app.deps.content import EditableLesson, EditableUnit, PageParams, ReadableLesson, ReadableUnit
from app.schemas.base import Page
from app.schemas.content import LessonCreate, LessonPublic, LessonSummary, LessonUpdate
from app.services import courses
from app.services.auth import InvalidAccessToken
from app.services.courses import (
    KeyTaken,
    LessonNotFound,
    NotCourseEditor,
    SlugTaken,
    UnitNotFound,
)

router = APIRouter(tags=["lessons"])


@router.get("/units/{unit_id}/lessons", responses=responses(InvalidAccessToken, UnitNotFound))
async def list_lessons(context: ReadableUnit, db: Db, page: PageParams) -> Page[LessonSummary]:
    lessons, count = await db.read(
        lambda session: courses.list_lessons(
            session, unit_id=context.unit.id, offset=page.offset, limit=page.limit
        )
    )
    return Page(data=lessons, count=count)


@router.post(
    "/units/{unit_id}/lessons",
    status_code=status.HTTP_201_CREATED,
    responses=responses(InvalidAccessToken, UnitNotFound, NotCourseEditor, SlugTaken, KeyTaken),
)
async def create_lesson(context: EditableUnit, data: LessonCreate, db: Db) -> LessonPublic:
    return await db.write(
        lambda session: courses.create_lesson(session, unit=context.unit, data=data)
    )


@router.get("/lessons/{lesson_id}", responses=responses(InvalidAccessToken, LessonNotFound))
async def read_lesson(context: ReadableLesson, db: Db) -> LessonPublic:
    """The lesson with its tips (Markdown) and its size."""
    return await db.read(lambda session: courses.lesson_public(session, lesson=context.lesson))


@router.patch(
    "/lessons/{lesson_id}",
    responses=responses(InvalidAccessToken, LessonNotFound, NotCourseEditor, SlugTaken),
)
async def update_lesson(context: EditableLesson, changes: LessonUpdate, db: Db) -> LessonPublic:
    """Edit a lesson or move it within its unit: ``position`` is its new index."""
    return await db.write(
        lambda session: courses.update_lesson(session, lesson_id=context.lesson.id, changes=changes)
    )


@router.delete(
    "/lessons/{lesson_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(InvalidAccessToken, LessonNotFound, NotCourseEditor),
)
async def delete_lesson(context: EditableLesson, db: Db) -> None:
    """Delete the lesson with its items and exercises."""
    await db.write(lambda session: courses.delete_lesson(session, lesson_id=context.lesson.id))
