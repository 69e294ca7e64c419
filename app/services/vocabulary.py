"""A course's words, so that typing another real word counts as a mistake, not a typo."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models.content import Item, Lesson
from app.services.grading import normalise


def words(session: Session, *, course_id: int, version: datetime) -> frozenset[str]:
    """Every word of the course's items, both languages; cached per content version
    (``course.updated_at``, which every content write moves)."""
    cached = _cache(course_id, version.isoformat())
    if cached is not None:
        return cached
    found: set[str] = set()
    rows = session.execute(
        select(Item.text, Item.translation, Item.text_alternatives, Item.translation_alternatives)
        .join(Lesson, Item.lesson_id == Lesson.id)
        .where(Lesson.course_id == course_id)
    )
    for text, translation, text_alternatives, translation_alternatives in rows:
        for phrase in (text, translation, *text_alternatives, *translation_alternatives):
            # Alternatives may hold grammar brackets; their words count all the same.
            plain = phrase.replace("[", " ").replace("]", " ").replace("/", " ")
            found.update(normalise(plain).split())
    result = frozenset(found)
    _store(course_id, version.isoformat(), result)
    return result


_CACHE: dict[int, tuple[str, frozenset[str]]] = {}
_CACHE_LIMIT = 64


def _cache(course_id: int, version: str) -> frozenset[str] | None:
    entry = _CACHE.get(course_id)
    return entry[1] if entry is not None and entry[0] == version else None


def _store(course_id: int, version: str, found: frozenset[str]) -> None:
    if len(_CACHE) >= _CACHE_LIMIT:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[course_id] = (version, found)


__all__ = ["words"]
