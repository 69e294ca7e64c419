"""Every model, imported here so Alembic and the mapper see the whole schema."""

from app.models.base import Base
from app.models.content import Course, Exercise, ExerciseItem, Item, Lesson, Unit
from app.models.learning import (
    Attempt,
    Enrollment,
    League,
    LeagueMember,
    LessonProgress,
    LessonSession,
    XpEvent,
)
from app.models.user import RefreshToken, Role, User

__all__ = [
    "Attempt",
    "Base",
    "Course",
    "Enrollment",
    "Exercise",
    "ExerciseItem",
    "Item",
    "League",
    "LeagueMember",
    "Lesson",
    "LessonProgress",
    "LessonSession",
    "RefreshToken",
    "Role",
    "Unit",
    "User",
    "XpEvent",
]
