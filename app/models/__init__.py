"""Every model, imported here so Alembic and the mapper see the whole schema."""

from app.models.base import Base
from app.models.content import Course, Exercise, ExerciseItem, Item, Lesson, Unit
from app.models.user import RefreshToken, Role, User

__all__ = [
    "Base",
    "Course",
    "Exercise",
    "ExerciseItem",
    "Item",
    "Lesson",
    "RefreshToken",
    "Role",
    "Unit",
    "User",
]
