"""Export a course from the database as a LibreLingo course (a CourseSpec, a zip, a folder).

Items are written back with their texts and alternatives; exercises are not stored
in LibreLingo files, so the spec's exercises are regenerated from the items (the
generator is deterministic: a re-import of an export changes nothing). Exercises
added or edited through the API are therefore not part of an export.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models.content import Course, Item, Lesson, Unit
from app.services.librelingo import (
    CourseSpec,
    DictionaryEntry,
    ItemKind,
    ItemSpec,
    LanguageSpec,
    LessonSpec,
    LicenseSpec,
    UnitSpec,
    course_to_zip,
    item_key,
    with_exercises,
)


def _dictionary(rows: list[Any]) -> tuple[DictionaryEntry, ...]:
    return tuple(
        DictionaryEntry(language=language, word=word, definitions=tuple(definitions))
        for language, word, definitions in rows
    )


def _items(lesson: Lesson, rows: list[Item]) -> tuple[ItemSpec, ...]:
    occurrences: dict[tuple[str, str], int] = {}
    items = []
    for row in rows:
        kind: ItemKind = "phrase" if row.kind == "phrase" else "word"
        identity = (kind, unicodedata.normalize("NFC", row.text))
        occurrences[identity] = occurrences.get(identity, 0) + 1
        items.append(
            ItemSpec(
                key=item_key(
                    lesson_key=lesson.key,
                    kind=kind,
                    text=row.text,
                    occurrence=occurrences[identity],
                ),
                kind=kind,
                text=row.text,
                translation=row.translation,
                text_alternatives=tuple(row.text_alternatives),
                translation_alternatives=tuple(row.translation_alternatives),
                images=tuple(row.images),
            )
        )
    # The format lists words before phrases; keep each kind's own order.
    return tuple(sorted(items, key=lambda item: item.kind != "word"))


def course_spec(session: Session, *, course_id: int, exercises: bool = True) -> CourseSpec:
    """The course as a CourseSpec (four queries), exercises regenerated unless told not to.

    Writing files needs no exercises; leave them out to keep the (CPU-bound)
    generator out of a read that may run on the event loop.
    """
    course = session.get_one(Course, course_id)
    units = session.scalars(
        select(Unit).where(Unit.course_id == course_id).order_by(Unit.position, Unit.id)
    ).all()
    lessons = session.scalars(
        select(Lesson).where(Lesson.course_id == course_id).order_by(Lesson.position, Lesson.id)
    ).all()
    items = session.scalars(
        select(Item)
        .join(Lesson, Item.lesson_id == Lesson.id)
        .where(Lesson.course_id == course_id)
        .order_by(Item.position, Item.id)
    ).all()
    items_by_lesson: dict[int, list[Item]] = {}
    for item in items:
        items_by_lesson.setdefault(item.lesson_id, []).append(item)
    lessons_by_unit: dict[int, list[LessonSpec]] = {}
    for lesson in lessons:
        lessons_by_unit.setdefault(lesson.unit_id, []).append(
            LessonSpec(
                key=lesson.key,
                slug=lesson.slug,
                title=lesson.title,
                thumbnails=tuple(lesson.thumbnails),
                tips_markdown=lesson.tips_markdown,
                items=_items(lesson, items_by_lesson.get(lesson.id, [])),
                mini_dictionary=_dictionary(lesson.mini_dictionary),
            )
        )
    license_ = None
    if course.license_name is not None:
        license_ = LicenseSpec(
            name=course.license_name,
            short_name=course.license_short_name,
            link=course.license_link,
        )
    spec = CourseSpec(
        title=course.title,
        target_language=LanguageSpec(code=course.target_language, name=course.target_language_name),
        source_language=LanguageSpec(code=course.source_language, name=course.source_language_name),
        special_characters=tuple(course.special_characters),
        license=license_,
        repository=course.repository,
        attribution=course.attribution,
        audio_enabled=course.audio_enabled,
        mini_dictionary=_dictionary(course.mini_dictionary),
        units=tuple(
            UnitSpec(
                key=unit.key, title=unit.title, lessons=tuple(lessons_by_unit.get(unit.id, []))
            )
            for unit in units
        ),
    )
    return with_exercises(spec) if exercises else spec


def export_zip(spec: CourseSpec, *, slug: str) -> bytes:
    """The course folder zipped, named after the slug (CPU work: run it off the event loop)."""
    return course_to_zip(spec, folder=slug)
