"""What learners do: enrolments, lesson sessions, graded attempts, the XP ledger,
lesson progress and weekly leagues."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, TimestampMixin, utcnow


class Enrollment(TimestampMixin, Base):
    __tablename__ = "enrollment"
    __table_args__ = (UniqueConstraint("user_id", "course_id", name="uq_enrollment_user_course"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"), index=True)


class LessonProgress(Base):
    """A learner's record of one lesson: completed how often, and when."""

    __tablename__ = "lesson_progress"
    __table_args__ = (
        UniqueConstraint("user_id", "lesson_id", name="uq_lesson_progress_user_lesson"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lesson.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"))
    times_completed: Mapped[int] = mapped_column(default=0)
    first_completed_at: Mapped[datetime]
    last_completed_at: Mapped[datetime]


class LessonSession(Base):
    """One play of a lesson or one practice round.

    ``queue`` is what is still to answer, in order; a wrong answer puts its
    exercise back at the end. ``results`` is every graded answer's outcome, in
    order, for combo and perfect-lesson bonuses.
    """

    __tablename__ = "lesson_session"
    __table_args__ = (Index("ix_lesson_session_user_status", "user_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))  # "lesson" or "practice"
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"))
    lesson_id: Mapped[int | None] = mapped_column(
        ForeignKey("lesson.id", ondelete="CASCADE"), default=None
    )
    status: Mapped[str] = mapped_column(String(16), default="active")
    exercise_ids: Mapped[list[int]] = mapped_column(JSON)
    queue: Mapped[list[int]] = mapped_column(JSON)
    results: Mapped[list[bool]] = mapped_column(JSON, default=list)
    retries: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    mistakes: Mapped[int] = mapped_column(default=0)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    completed_at: Mapped[datetime | None] = mapped_column(default=None)
    # The completion reply, kept so completing twice answers the same and awards once.
    completion: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)


class Attempt(Base):
    """One graded answer. ``client_answer_id`` makes a retried submission harmless."""

    __tablename__ = "attempt"
    __table_args__ = (
        UniqueConstraint("user_id", "client_answer_id", name="uq_attempt_user_client_answer"),
        Index("ix_attempt_user_exercise", "user_id", "exercise_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    session_id: Mapped[int] = mapped_column(
        ForeignKey("lesson_session.id", ondelete="CASCADE"), index=True
    )
    exercise_id: Mapped[int] = mapped_column(ForeignKey("exercise.id", ondelete="CASCADE"))
    client_answer_id: Mapped[str] = mapped_column(String(64))
    answer: Mapped[Any] = mapped_column(JSON)
    correct: Mapped[bool]
    kind: Mapped[str] = mapped_column(String(16))
    # The whole reply as first sent: a retry gets exactly this back.
    reply: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class XpEvent(Base):
    """The append-only XP ledger. Totals, goals, streak days and leagues derive from it.

    One row per reason per session (unique), so a completion retried from two
    devices cannot award twice.
    """

    __tablename__ = "xp_event"
    __table_args__ = (
        UniqueConstraint("session_id", "reason", name="uq_xp_event_session_reason"),
        Index("ix_xp_event_user_local_date", "user_id", "local_date"),
        Index("ix_xp_event_user_created_at", "user_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    amount: Mapped[int]
    reason: Mapped[str] = mapped_column(String(16))
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("lesson_session.id", ondelete="SET NULL"), default=None
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The learner's local date when it was earned, by their timezone then.
    local_date: Mapped[date] = mapped_column(Date)


class League(Base):
    """One league of up to 30 learners of a tier, for one week (starting Monday, UTC)."""

    __tablename__ = "league"
    __table_args__ = (
        UniqueConstraint("week_start", "tier", "number", name="uq_league_week_tier_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    week_start: Mapped[date] = mapped_column(Date)
    tier: Mapped[str] = mapped_column(String(16))
    number: Mapped[int]
    size: Mapped[int] = mapped_column(default=0)
    closed_at: Mapped[datetime | None] = mapped_column(default=None)


class LeagueMember(Base):
    __tablename__ = "league_member"
    __table_args__ = (UniqueConstraint("user_id", "week_start", name="uq_league_member_user_week"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    league_id: Mapped[int] = mapped_column(ForeignKey("league.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    week_start: Mapped[date] = mapped_column(Date)
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Filled when the week closes.
    final_rank: Mapped[int | None] = mapped_column(default=None)
    zone: Mapped[str | None] = mapped_column(String(16), default=None)
    next_tier: Mapped[str | None] = mapped_column(String(16), default=None)
