"""Enrolment in a course."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.models.learning import Enrollment
from app.schemas.learning import EnrollmentPublic
from app.services import courses
from app.services.auth import Account


def enroll(
    session: Session, *, account: Account, course_id: int, now: datetime
) -> EnrollmentPublic:
    """Enrol the learner (idempotent: enrolling again returns the first enrolment)."""
    courses.load_course(session, course_id=course_id, user=account)  # 404 for drafts
    found = session.scalars(
        select(Enrollment).where(
            Enrollment.user_id == account.id, Enrollment.course_id == course_id
        )
    ).one_or_none()
    if found is None:
        try:
            with session.begin_nested():
                found = Enrollment(user_id=account.id, course_id=course_id, created_at=now)
                session.add(found)
        except IntegrityError:  # enrolled concurrently from another device
            found = session.scalars(
                select(Enrollment).where(
                    Enrollment.user_id == account.id, Enrollment.course_id == course_id
                )
            ).one()
    return EnrollmentPublic(course_id=course_id, enrolled_at=found.created_at)
