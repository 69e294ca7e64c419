"""Course content: Course → Unit → Lesson → Item / Exercise.

A LibreLingo module is a Unit, a skill is a Lesson. Rows imported from course
files carry the format's stable keys (see docs/course-format.md), so a re-import
updates rows in place and learners' progress, keyed by row ids, survives it.

Deleting a parent deletes its children twice over: ``ON DELETE CASCADE`` in the
database (bulk deletes, other tools) and ORM cascades (``session.delete``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, TimestampMixin, utcnow

SLUG_LENGTH = 100
KEY_LENGTH = 255
TITLE_LENGTH = 200
LANGUAGE_CODE_LENGTH = 35  # BCP 47 tags are at most 35 characters in practice


class UpdatedAtMixin(TimestampMixin):
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Course(UpdatedAtMixin, Base):
    __tablename__ = "course"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(SLUG_LENGTH), unique=True)
    title: Mapped[str] = mapped_column(String(TITLE_LENGTH))
    target_language: Mapped[str] = mapped_column(String(LANGUAGE_CODE_LENGTH))
    target_language_name: Mapped[str] = mapped_column(String(TITLE_LENGTH))
    source_language: Mapped[str] = mapped_column(String(LANGUAGE_CODE_LENGTH))
    source_language_name: Mapped[str] = mapped_column(String(TITLE_LENGTH))
    description: Mapped[str] = mapped_column(Text, default="")
    special_characters: Mapped[list[str]] = mapped_column(JSON, default=list)
    license_name: Mapped[str | None] = mapped_column(Text, default=None)
    license_short_name: Mapped[str | None] = mapped_column(Text, default=None)
    license_link: Mapped[str | None] = mapped_column(Text, default=None)
    repository: Mapped[str | None] = mapped_column(Text, default=None)
    attribution: Mapped[str | None] = mapped_column(Text, default=None)  # ATTRIBUTION.md
    audio_enabled: Mapped[bool | None] = mapped_column(default=None)
    # [[language name, word, [definitions...]], ...]: kept for a lossless export.
    mini_dictionary: Mapped[list[Any]] = mapped_column(JSON, default=list)
    published: Mapped[bool] = mapped_column(default=False)
    # Authors own the courses they create or import; admins edit every course.
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), default=None, index=True
    )

    units: Mapped[list[Unit]] = relationship(
        back_populates="course",
        lazy="raise",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Unit.position",
    )


class Unit(UpdatedAtMixin, Base):
    """A LibreLingo module; ``key`` is its folder name."""

    __tablename__ = "unit"
    __table_args__ = (
        UniqueConstraint("course_id", "key", name="uq_unit_course_id_key"),
        UniqueConstraint("course_id", "slug", name="uq_unit_course_id_slug"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(KEY_LENGTH))
    slug: Mapped[str] = mapped_column(String(SLUG_LENGTH))
    title: Mapped[str] = mapped_column(String(TITLE_LENGTH))
    position: Mapped[int] = mapped_column(default=0)

    course: Mapped[Course] = relationship(back_populates="units", lazy="raise")
    lessons: Mapped[list[Lesson]] = relationship(
        back_populates="unit",
        lazy="raise",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Lesson.position",
    )


class Lesson(UpdatedAtMixin, Base):
    """A LibreLingo skill; ``key`` (the skill Id) is unique in the whole course.

    ``course_id`` repeats the unit's course so keys can be unique per course and a
    lesson moved to another module keeps its row on re-import.
    """

    __tablename__ = "lesson"
    __table_args__ = (
        UniqueConstraint("course_id", "key", name="uq_lesson_course_id_key"),
        UniqueConstraint("unit_id", "slug", name="uq_lesson_unit_id_slug"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(KEY_LENGTH))
    slug: Mapped[str] = mapped_column(String(SLUG_LENGTH))
    title: Mapped[str] = mapped_column(String(TITLE_LENGTH))
    position: Mapped[int] = mapped_column(default=0)
    tips_markdown: Mapped[str | None] = mapped_column(Text, default=None)
    thumbnails: Mapped[list[str]] = mapped_column(JSON, default=list)
    mini_dictionary: Mapped[list[Any]] = mapped_column(JSON, default=list)

    unit: Mapped[Unit] = relationship(back_populates="lessons", lazy="raise")
    items: Mapped[list[Item]] = relationship(
        back_populates="lesson",
        lazy="raise",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Item.position",
    )
    exercises: Mapped[list[Exercise]] = relationship(
        back_populates="lesson",
        lazy="raise",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Exercise.position",
    )


class Item(UpdatedAtMixin, Base):
    """A word or phrase of a lesson; spaced repetition tracks these."""

    __tablename__ = "item"
    __table_args__ = (UniqueConstraint("lesson_id", "key", name="uq_item_lesson_id_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lesson.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(KEY_LENGTH))
    kind: Mapped[str] = mapped_column(String(16))  # "word" or "phrase"
    text: Mapped[str] = mapped_column(Text)
    translation: Mapped[str] = mapped_column(Text)
    text_alternatives: Mapped[list[str]] = mapped_column(JSON, default=list)
    translation_alternatives: Mapped[list[str]] = mapped_column(JSON, default=list)
    images: Mapped[list[str]] = mapped_column(JSON, default=list)
    position: Mapped[int] = mapped_column(default=0)

    lesson: Mapped[Lesson] = relationship(back_populates="items", lazy="raise")


class Exercise(UpdatedAtMixin, Base):
    """One exercise; ``payload`` is the whole typed payload, answers included."""

    __tablename__ = "exercise"
    __table_args__ = (UniqueConstraint("lesson_id", "key", name="uq_exercise_lesson_id_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lesson.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(KEY_LENGTH))
    type: Mapped[str] = mapped_column(String(32))
    position: Mapped[int] = mapped_column(default=0)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)

    lesson: Mapped[Lesson] = relationship(back_populates="exercises", lazy="raise")
    item_links: Mapped[list[ExerciseItem]] = relationship(
        lazy="raise",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="ExerciseItem.position",
    )


class ExerciseItem(Base):
    """Which items an exercise practises, in the exercise's order."""

    __tablename__ = "exercise_item"
    __table_args__ = (Index("ix_exercise_item_item_id", "item_id"),)

    exercise_id: Mapped[int] = mapped_column(
        ForeignKey("exercise.id", ondelete="CASCADE"), primary_key=True
    )
    item_id: Mapped[int] = mapped_column(
        ForeignKey("item.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(default=0)
