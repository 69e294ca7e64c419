"""Courses, units, lessons and exercises as the API accepts and shows them.

One family per entity: ``...Create`` / ``...Update`` (requests), ``...Public``
(what every reader sees) and, for exercises, ``ExerciseAuthorView`` (answers
included) next to ``ExercisePublic`` (no answers). Exercise replies carry
``view: "author" | "learner"`` so a client (and the union below) knows which it got.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, model_validator

from app.models.content import SLUG_LENGTH, TITLE_LENGTH
from app.schemas.base import RequestModel, ResponseModel
from app.schemas.exercises import ExercisePayload, LanguageCode, PublicPayload

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
# Keys name folders and files when a course is exported (LibreLingo layout).
KEY_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"

Slug = Annotated[str, Field(pattern=SLUG_PATTERN, max_length=SLUG_LENGTH, examples=["basics-1"])]
Key = Annotated[str, Field(pattern=KEY_PATTERN, max_length=120, examples=["basics"])]
Title = Annotated[str, Field(min_length=1, max_length=TITLE_LENGTH)]
LanguageName = Annotated[str, Field(min_length=1, max_length=TITLE_LENGTH)]
LongText = Annotated[str, Field(max_length=100_000)]
Position = Annotated[int, Field(ge=0, le=100_000)]
ShortText = Annotated[str, Field(min_length=1, max_length=200)]
ShortTexts = Annotated[list[ShortText], Field(max_length=200)]


def _reject_nulls(model: RequestModel, fields: tuple[str, ...]) -> None:
    """A PATCH may leave a field out, but not set a required one to null."""
    for name in fields:
        if name in model.model_fields_set and getattr(model, name) is None:
            raise ValueError(f"{name} cannot be null")


# -- courses -------------------------------------------------------------------------------


class LicenseIn(RequestModel):
    name: Title
    short_name: str | None = Field(default=None, max_length=200)
    link: str | None = Field(default=None, max_length=2000)


class License(ResponseModel):
    name: str
    short_name: str | None = None
    link: str | None = None


class CourseCreate(RequestModel):
    slug: Slug
    title: Title
    target_language: LanguageCode
    target_language_name: LanguageName
    source_language: LanguageCode
    source_language_name: LanguageName
    description: LongText = ""
    special_characters: ShortTexts = Field(default_factory=list)
    license: LicenseIn | None = None
    repository: str | None = Field(default=None, max_length=2000)
    attribution: LongText | None = None
    audio_enabled: bool | None = None
    published: bool = False


class CourseUpdate(RequestModel):
    slug: Slug | None = None
    title: Title | None = None
    target_language: LanguageCode | None = None
    target_language_name: LanguageName | None = None
    source_language: LanguageCode | None = None
    source_language_name: LanguageName | None = None
    description: LongText | None = None
    special_characters: ShortTexts | None = None
    license: LicenseIn | None = None
    repository: str | None = Field(default=None, max_length=2000)
    attribution: LongText | None = None
    audio_enabled: bool | None = None
    published: bool | None = None

    @model_validator(mode="after")
    def _required_stay_set(self) -> CourseUpdate:
        _reject_nulls(
            self,
            (
                "slug",
                "title",
                "target_language",
                "target_language_name",
                "source_language",
                "source_language_name",
                "description",
                "special_characters",
                "published",
            ),
        )
        return self


class CoursePublic(ResponseModel):
    id: int
    slug: str
    title: str
    target_language: str
    target_language_name: str
    source_language: str
    source_language_name: str
    description: str
    special_characters: list[str]
    license: License | None
    repository: str | None
    attribution: str | None = Field(description="Credits to show with the course (verbatim).")
    audio_enabled: bool | None
    published: bool
    owner_id: int | None
    can_edit: bool = Field(description="Whether the caller may edit this course.")
    created_at: datetime
    updated_at: datetime


# -- units ---------------------------------------------------------------------------------


class UnitCreate(RequestModel):
    title: Title
    slug: Slug | None = Field(default=None, description="Defaults to a slug of the title.")
    key: Key | None = Field(
        default=None, description="The module folder name on export; defaults to the slug."
    )
    position: Position | None = Field(default=None, description="Defaults to the end.")


class UnitUpdate(RequestModel):
    title: Title | None = None
    slug: Slug | None = None
    position: Position | None = None

    @model_validator(mode="after")
    def _required_stay_set(self) -> UnitUpdate:
        _reject_nulls(self, ("title", "slug", "position"))
        return self


class UnitPublic(ResponseModel):
    id: int
    course_id: int
    key: str
    slug: str
    title: str
    position: int
    created_at: datetime
    updated_at: datetime


# -- lessons -------------------------------------------------------------------------------


class LessonCreate(RequestModel):
    title: Title
    slug: Slug | None = Field(default=None, description="Defaults to a slug of the title.")
    key: Key | None = Field(
        default=None, description="Stable key, unique in the course; defaults to the slug."
    )
    position: Position | None = Field(default=None, description="Defaults to the end.")
    tips_markdown: LongText | None = None
    thumbnails: ShortTexts = Field(default_factory=list)


class LessonUpdate(RequestModel):
    title: Title | None = None
    slug: Slug | None = None
    position: Position | None = None
    tips_markdown: LongText | None = None
    thumbnails: ShortTexts | None = None

    @model_validator(mode="after")
    def _required_stay_set(self) -> LessonUpdate:
        _reject_nulls(self, ("title", "slug", "position", "thumbnails"))
        return self


class LessonSummary(ResponseModel):
    id: int
    unit_id: int
    course_id: int
    key: str
    slug: str
    title: str
    position: int
    exercise_count: int
    item_count: int


class LessonPublic(LessonSummary):
    tips_markdown: str | None
    thumbnails: list[str]
    created_at: datetime
    updated_at: datetime


# -- the course path -----------------------------------------------------------------------


class TreeLesson(ResponseModel):
    id: int
    key: str
    slug: str
    title: str
    position: int
    exercise_count: int
    item_count: int
    state: Literal["locked", "available", "completed"] = Field(
        description="For the signed-in learner: the first lesson is open, each next one "
        "opens when the one before it is completed."
    )
    times_completed: int = 0


class TreeUnit(ResponseModel):
    id: int
    key: str
    slug: str
    title: str
    position: int
    lessons: list[TreeLesson]


class CourseTree(CoursePublic):
    units: list[TreeUnit]
    enrolled: bool = False
    current_lesson_id: int | None = Field(
        default=None, description="The lesson to play next, if any is left."
    )


# -- exercises -----------------------------------------------------------------------------


class ExerciseCreate(RequestModel):
    payload: ExercisePayload
    key: Key | None = Field(
        default=None, description="Stable key, unique in the lesson; generated when left out."
    )
    position: Position | None = Field(default=None, description="Defaults to the end.")
    item_ids: list[int] = Field(
        default=[], max_length=50, description="Items of this course the exercise practises."
    )


class ExerciseUpdate(RequestModel):
    payload: ExercisePayload | None = Field(
        default=None, description="Replaces the whole payload (its type may change)."
    )
    position: Position | None = None
    item_ids: list[int] | None = Field(default=None, max_length=50)

    @model_validator(mode="after")
    def _required_stay_set(self) -> ExerciseUpdate:
        _reject_nulls(self, ("payload", "position", "item_ids"))
        return self


class ExercisePublic(ResponseModel):
    """What a learner gets: the question, never the answer."""

    view: Literal["learner"] = "learner"
    id: int
    lesson_id: int
    type: str
    position: int
    payload: PublicPayload


class ExerciseAuthorView(ResponseModel):
    """What an author who can edit the course gets: everything."""

    view: Literal["author"] = "author"
    id: int
    lesson_id: int
    key: str
    type: str
    position: int
    payload: ExercisePayload
    item_ids: list[int]
    created_at: datetime
    updated_at: datetime


ExerciseView = Annotated[ExerciseAuthorView | ExercisePublic, Field(discriminator="view")]


# -- import --------------------------------------------------------------------------------


class ChangeCounts(ResponseModel):
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0


class ImportCounts(ResponseModel):
    course: ChangeCounts
    units: ChangeCounts
    lessons: ChangeCounts
    items: ChangeCounts
    exercises: ChangeCounts


class ImportResult(ResponseModel):
    course: CoursePublic
    counts: ImportCounts
    warnings: list[str] = Field(description="Oddities found while reading (file:line: note).")
