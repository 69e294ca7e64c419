"""A learner's progress: XP, streak, hearts, daily goal and where they are in each course."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models.content import Course
from app.models.learning import Enrollment, XpEvent
from app.models.user import User
from app.schemas.learning import (
    CourseProgress,
    DailyGoalPublic,
    NextLesson,
    ProgressPublic,
    StreakPublic,
    XpDay,
    XpHistory,
)
from app.services import path
from app.services.learning import daily_goal_progress, local_date, streak_state
from app.services.sessions import hearts_of, hearts_public, streak_ledger, xp_on

MAX_HISTORY_DAYS = 366


def course_progress(session: Session, *, user_id: int, course: Course) -> CourseProgress:
    order = path.ordered_lessons(session, course_id=course.id)
    completed = path.completed_lessons(session, user_id=user_id, course_id=course.id)
    states = path.states_for([lesson_id for lesson_id, _, _ in order], completed)
    next_id = path.current_lesson(states, [lesson_id for lesson_id, _, _ in order])
    next_lesson = next(
        (
            NextLesson(id=lesson_id, title=title, unit_id=unit_id)
            for lesson_id, title, unit_id in order
            if lesson_id == next_id
        ),
        None,
    )
    return CourseProgress(
        course_id=course.id,
        title=course.title,
        lessons_completed=len(completed & set(states)),
        lesson_count=len(order),
        next_lesson=next_lesson,
    )


def progress(session: Session, *, user_id: int, now: datetime) -> ProgressPublic:
    user = session.get_one(User, user_id)
    today = local_date(now, timezone=user.timezone)
    xp_total = int(
        session.scalar(
            select(func.coalesce(func.sum(XpEvent.amount), 0)).where(XpEvent.user_id == user_id)
        )
        or 0
    )
    xp_today = xp_on(session, user_id=user_id, day=today)
    streak = streak_state(streak_ledger(user), today=today)
    goal = daily_goal_progress(xp_today=xp_today, goal=user.daily_goal)
    enrolled = session.scalars(
        select(Course)
        .join(Enrollment, Enrollment.course_id == Course.id)
        .where(Enrollment.user_id == user_id)
        .order_by(Enrollment.created_at, Course.id)
    ).all()
    return ProgressPublic(
        xp_total=xp_total,
        xp_today=xp_today,
        streak=StreakPublic(
            length=streak.length,
            extended_today=streak.extended_today,
            at_risk=streak.at_risk,
            freezes_held=streak.freezes_held,
        ),
        hearts=hearts_public(hearts_of(user, now=now), now=now),
        daily_goal=DailyGoalPublic(
            goal=goal.goal, xp_today=goal.xp_today, reached=goal.reached, fraction=goal.fraction
        ),
        league_tier=user.league_tier,
        courses=[course_progress(session, user_id=user_id, course=course) for course in enrolled],
    )


def xp_history(session: Session, *, user_id: int, days: int, now: datetime) -> XpHistory:
    """XP per local day for the last ``days`` days, today last, days without XP as 0."""
    user = session.get_one(User, user_id)
    today = local_date(now, timezone=user.timezone)
    first = today - timedelta(days=days - 1)
    per_day = dict(
        session.execute(
            select(XpEvent.local_date, func.sum(XpEvent.amount))
            .where(XpEvent.user_id == user_id, XpEvent.local_date >= first)
            .group_by(XpEvent.local_date)
        ).all()
    )
    history = [
        XpDay(date=day, xp=int(per_day.get(day, 0)))
        for day in (first + timedelta(days=offset) for offset in range(days))
    ]
    return XpHistory(days=history, total=sum(day.xp for day in history))
