"""A learner's path through a course: which lessons are locked, available or done."""

from __future__ import annotations

from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models.content import Lesson, Unit
from app.models.learning import LessonProgress

LessonState = Literal["locked", "available", "completed"]


def ordered_lessons(session: Session, *, course_id: int) -> list[tuple[int, str, int]]:
    """(lesson id, title, unit id) in path order: units, then lessons, by position."""
    rows = session.execute(
        select(Lesson.id, Lesson.title, Lesson.unit_id)
        .join(Unit, Lesson.unit_id == Unit.id)
        .where(Lesson.course_id == course_id)
        .order_by(Unit.position, Unit.id, Lesson.position, Lesson.id)
    ).all()
    return [(row[0], row[1], row[2]) for row in rows]


def completed_lessons(session: Session, *, user_id: int, course_id: int) -> set[int]:
    return set(
        session.scalars(
            select(LessonProgress.lesson_id).where(
                LessonProgress.user_id == user_id, LessonProgress.course_id == course_id
            )
        )
    )


def states_for(order: list[int], completed: set[int]) -> dict[int, LessonState]:
    """The first lesson is open; each next one opens when the one before it is done."""
    states: dict[int, LessonState] = {}
    previous_done = True
    for lesson_id in order:
        if lesson_id in completed:
            states[lesson_id] = "completed"
        elif previous_done:
            states[lesson_id] = "available"
        else:
            states[lesson_id] = "locked"
        previous_done = lesson_id in completed
    return states


def lesson_states(session: Session, *, user_id: int, course_id: int) -> dict[int, LessonState]:
    order = [lesson_id for lesson_id, _, _ in ordered_lessons(session, course_id=course_id)]
    return states_for(order, completed_lessons(session, user_id=user_id, course_id=course_id))


def current_lesson(states: dict[int, LessonState], order: list[int]) -> int | None:
    """The lesson to play next: the first one available and not yet completed."""
    return next((lesson_id for lesson_id in order if states[lesson_id] == "available"), None)
