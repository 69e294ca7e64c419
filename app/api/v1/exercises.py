"""Exercises of a lesson. Learners get questions without answers; editors get everything."""

from __future__ import annotations

from fastapi import APIRouter, status

from app.core.errors import responses
from app.deps import Db
from app.deps.content import (
    EditableExercise,
    EditableLesson,
    PageParams,
    ReadableExercise,
    ReadableLesson,
)
from app.schemas.base import Page
from app.schemas.content import ExerciseAuthorView, ExerciseCreate, ExerciseUpdate, ExerciseView
from app.services import courses
from app.services.auth import InvalidAccessToken
from app.services.courses import (
    ExerciseNotFound,
    KeyTaken,
    LessonNotFound,
    NotCourseEditor,
    UnknownItems,
)
from app.services.grading_preview import MalformedGrammar

router = APIRouter(tags=["exercises"])


@router.get(
    "/lessons/{lesson_id}/exercises", responses=responses(InvalidAccessToken, LessonNotFound)
)
async def list_exercises(context: ReadableLesson, db: Db, page: PageParams) -> Page[ExerciseView]:
    """``view`` is ``"author"`` (answers included) for editors, ``"learner"`` otherwise."""
    exercises, count = await db.read(
        lambda session: courses.list_exercises(
            session,
            lesson_id=context.lesson.id,
            author=context.access.can_edit,
            offset=page.offset,
            limit=page.limit,
        )
    )
    return Page(data=exercises, count=count)


@router.post(
    "/lessons/{lesson_id}/exercises",
    status_code=status.HTTP_201_CREATED,
    responses=responses(
        InvalidAccessToken,
        LessonNotFound,
        NotCourseEditor,
        KeyTaken,
        MalformedGrammar,
        UnknownItems,
    ),
)
async def create_exercise(
    context: EditableLesson, data: ExerciseCreate, db: Db
) -> ExerciseAuthorView:
    return await db.write(
        lambda session: courses.create_exercise(session, lesson=context.lesson, data=data)
    )


@router.get("/exercises/{exercise_id}", responses=responses(InvalidAccessToken, ExerciseNotFound))
async def read_exercise(context: ReadableExercise, db: Db) -> ExerciseView:
    author = context.access.can_edit
    item_ids = (
        await db.read(
            lambda session: courses.exercise_item_ids(session, exercise_id=context.exercise.id)
        )
        if author
        else []
    )
    return courses.exercise_view(context.exercise, item_ids=item_ids, author=author)


@router.patch(
    "/exercises/{exercise_id}",
    responses=responses(
        InvalidAccessToken, ExerciseNotFound, NotCourseEditor, MalformedGrammar, UnknownItems
    ),
)
async def update_exercise(
    context: EditableExercise, changes: ExerciseUpdate, db: Db
) -> ExerciseAuthorView:
    """Replace the payload, move the exercise (``position``) or relink its items."""
    return await db.write(
        lambda session: courses.update_exercise(
            session,
            exercise_id=context.exercise.id,
            course_id=context.access.id,
            changes=changes,
        )
    )


@router.delete(
    "/exercises/{exercise_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(InvalidAccessToken, ExerciseNotFound, NotCourseEditor),
)
async def delete_exercise(context: EditableExercise, db: Db) -> None:
    await db.write(
        lambda session: courses.delete_exercise(session, exercise_id=context.exercise.id)
    )
