"""Plain, immutable description of a course, independent of files and databases.

The reader builds these from LibreLingo YAML, the server can build them from
database rows, and the writer turns them back into YAML. Every class takes
keyword arguments only so hand-built specs stay readable.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from .errors import CourseWarning

ItemKind = Literal["word", "phrase"]
ExerciseType = Literal[
    "translate", "multiple_choice", "word_bank", "match_pairs", "fill_blank", "listen"
]


@dataclass(frozen=True, slots=True, kw_only=True)
class LanguageSpec:
    code: str  # IETF BCP 47, e.g. "es"
    name: str  # e.g. "Spanish"; also the heading used in mini-dictionaries


@dataclass(frozen=True, slots=True, kw_only=True)
class LicenseSpec:
    name: str
    short_name: str | None = None
    link: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class DictionaryEntry:
    """One `Mini-dictionary` line: a word in `language` and what it means."""

    language: str  # the language *name* heading, as LibreLingo writes it
    word: str
    definitions: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class ItemSpec:
    """A new word or phrase of a lesson, with its accepted forms in both languages.

    Texts are kept exactly as written; they may use the alternatives grammar
    (`I [am/'m] a [boy/child]`).
    """

    key: str  # see keys.item_key(); derived, not authored
    kind: ItemKind
    text: str  # target language
    translation: str  # source language
    text_alternatives: tuple[str, ...] = ()  # Synonyms / Alternative versions
    translation_alternatives: tuple[str, ...] = ()  # Also accepted / Alternative translations
    images: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class ExerciseSpec:
    key: str  # derived from an item (or lesson) key and the exercise kind
    type: ExerciseType
    item_keys: tuple[str, ...]
    payload: dict[str, Any]


@dataclass(frozen=True, slots=True, kw_only=True)
class LessonSpec:
    """A LibreLingo skill."""

    key: str  # the skill `Id` if present, else the file stem; unique in the course
    slug: str  # the skill file stem: the writer saves `<unit key>/skills/<slug>.yaml`
    title: str
    thumbnails: tuple[str, ...] = ()
    tips_markdown: str | None = None  # the sibling `<slug>.md`
    items: tuple[ItemSpec, ...] = ()
    mini_dictionary: tuple[DictionaryEntry, ...] = ()
    exercises: tuple[ExerciseSpec, ...] = ()  # generated; see exercises.with_exercises()

    @property
    def words(self) -> tuple[ItemSpec, ...]:
        return tuple(item for item in self.items if item.kind == "word")

    @property
    def phrases(self) -> tuple[ItemSpec, ...]:
        return tuple(item for item in self.items if item.kind == "phrase")


@dataclass(frozen=True, slots=True, kw_only=True)
class UnitSpec:
    """A LibreLingo module; `key` is its folder name."""

    key: str
    title: str
    lessons: tuple[LessonSpec, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class CourseSpec:
    title: str  # "<target> from <source>" unless given
    target_language: LanguageSpec
    source_language: LanguageSpec
    special_characters: tuple[str, ...] = ()
    license: LicenseSpec | None = None
    repository: str | None = None
    attribution: str | None = None  # ATTRIBUTION.md, verbatim
    audio_enabled: bool | None = None  # Settings.Audio.Enabled
    mini_dictionary: tuple[DictionaryEntry, ...] = ()  # a course-level Mini-dictionary
    units: tuple[UnitSpec, ...] = ()
    # Reading notes (unreferenced files, non-standard keys...). Not part of the
    # content, so two reads of equivalent courses compare equal.
    warnings: tuple[CourseWarning, ...] = field(default=(), compare=False)

    def lessons(self) -> Iterator[LessonSpec]:
        for unit in self.units:
            yield from unit.lessons

    def items(self) -> Iterator[ItemSpec]:
        for lesson in self.lessons():
            yield from lesson.items

    def exercises(self) -> Iterator[ExerciseSpec]:
        for lesson in self.lessons():
            yield from lesson.exercises


def default_title(*, target: LanguageSpec, source: LanguageSpec) -> str:
    return f"{target.name} from {source.name}"
