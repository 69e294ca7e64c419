"""LibreLingo courses: read YAML (folder or zip), generate exercises, write YAML.

Pure functions over plain dataclasses: no database, no FastAPI. See
docs/course-format.md for the format and how exercises are derived.
"""

from __future__ import annotations

from pathlib import Path

from .errors import CourseFormatError, CourseWarning
from .exercises import lesson_exercises, with_exercises
from .keys import exercise_key, item_key
from .reader import read_course, read_course_zip
from .sources import MAX_ZIP_FILES, MAX_ZIP_TOTAL_SIZE
from .specs import (
    CourseSpec,
    DictionaryEntry,
    ExerciseSpec,
    ExerciseType,
    ItemKind,
    ItemSpec,
    LanguageSpec,
    LessonSpec,
    LicenseSpec,
    UnitSpec,
    default_title,
)
from .text import slugify
from .writer import course_to_zip, render_course, write_course

_DEMO_COURSE = Path(__file__).resolve().parents[2] / "data" / "courses" / "spanish-from-english"


def demo_course_path() -> Path:
    """The Spanish demo course shipped with the server (app/data/courses), CC BY-SA 4.0."""
    return _DEMO_COURSE


__all__ = [
    "MAX_ZIP_FILES",
    "MAX_ZIP_TOTAL_SIZE",
    "CourseFormatError",
    "CourseSpec",
    "CourseWarning",
    "DictionaryEntry",
    "ExerciseSpec",
    "ExerciseType",
    "ItemKind",
    "ItemSpec",
    "LanguageSpec",
    "LessonSpec",
    "LicenseSpec",
    "UnitSpec",
    "course_to_zip",
    "default_title",
    "demo_course_path",
    "exercise_key",
    "item_key",
    "lesson_exercises",
    "read_course",
    "read_course_zip",
    "render_course",
    "slugify",
    "with_exercises",
    "write_course",
]
