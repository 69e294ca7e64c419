"""Courses: the catalogue, authoring, the course path (tree), import and export."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, File, Form, Response, UploadFile, status

from app.core.errors import responses
from app.deps import AuthorUser, CurrentUser, Db
from app.deps.content import (
    CatalogueCourse,
    EditableCourse,
    OptionalUser,
    PageParams,
    ReadableCourse,
)
from app.schemas.base import Page
from app.schemas.content import (
    SLUG_PATTERN,
    CourseCreate,
    CoursePublic,
    CourseTree,
    CourseUpdate,
    ImportResult,
)
from app.services import content_export, content_import, courses
from app.services.auth import InvalidAccessToken
from app.services.content_import import ImportClash, InvalidCourse
from app.services.courses import CourseNotFound, NotCourseEditor, SlugTaken
from app.services.librelingo import CourseFormatError

router = APIRouter(tags=["courses"])


@router.get("/courses", summary="The course catalogue (no sign-in needed)")
async def list_courses(db: Db, user: OptionalUser, page: PageParams) -> Page[CoursePublic]:
    """Published courses, plus your own drafts (admins see every course)."""
    data, count = await db.read(
        lambda session: courses.list_courses(
            session, user=user, offset=page.offset, limit=page.limit
        )
    )
    return Page(data=data, count=count)


@router.post(
    "/courses",
    status_code=status.HTTP_201_CREATED,
    responses=responses(InvalidAccessToken, NotCourseEditor, SlugTaken),
)
async def create_course(data: CourseCreate, user: AuthorUser, db: Db) -> CoursePublic:
    """Create a course (authors and admins); you become its owner."""
    course = await db.write(
        lambda session: courses.create_course(session, data=data, owner_id=user.id)
    )
    return courses.course_public(course, can_edit=True)


@router.post(
    "/courses/import",
    responses=responses(InvalidAccessToken, NotCourseEditor, InvalidCourse, ImportClash),
    summary="Import (or re-import) a LibreLingo course from a zip",
)
async def import_course(
    user: AuthorUser,
    db: Db,
    file: Annotated[UploadFile, File(description="A zip of the course folder.")],
    slug: Annotated[
        str | None,
        Form(
            pattern=SLUG_PATTERN,
            max_length=100,
            description="Defaults to the zip's folder name, else '<target>-from-<source>'.",
        ),
    ] = None,
    published: Annotated[
        bool | None,
        Form(description="Publish (true) or unpublish (false); left out, nothing changes."),
    ] = None,
) -> ImportResult:
    """A course with the same slug is updated in place: unchanged rows keep their ids."""
    data = await file.read()
    outcome = await content_import.import_zip(
        db=db, data=data, actor=user, slug=slug, published=published
    )
    return ImportResult(
        course=courses.course_public(outcome.course, can_edit=True),
        counts=outcome.counts,
        warnings=outcome.warnings,
    )


@router.get("/courses/{course_id}", responses=responses(CourseNotFound))
async def read_course(context: CatalogueCourse) -> CoursePublic:
    return courses.course_public(context.course, can_edit=context.access.can_edit)


@router.patch(
    "/courses/{course_id}",
    responses=responses(InvalidAccessToken, CourseNotFound, NotCourseEditor, SlugTaken),
)
async def update_course(context: EditableCourse, changes: CourseUpdate, db: Db) -> CoursePublic:
    course = await db.write(
        lambda session: courses.update_course(session, course_id=context.course.id, changes=changes)
    )
    return courses.course_public(course, can_edit=True)


@router.delete(
    "/courses/{course_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(InvalidAccessToken, CourseNotFound, NotCourseEditor),
)
async def delete_course(context: EditableCourse, db: Db) -> None:
    """Delete the course with all its units, lessons, items and exercises."""
    await db.write(lambda session: courses.delete_course(session, course_id=context.course.id))


@router.get(
    "/courses/{course_id}/tree",
    responses=responses(InvalidAccessToken, CourseNotFound),
    summary="The whole course path in one call",
)
async def course_tree(context: ReadableCourse, user: CurrentUser, db: Db) -> CourseTree:
    return await db.read(
        lambda session: courses.course_tree(
            session, course=context.course, can_edit=context.access.can_edit, user_id=user.id
        )
    )


@router.get(
    "/courses/{course_id}/export",
    response_class=Response,
    responses={
        200: {"content": {"application/zip": {}}, "description": "The course folder, zipped."},
        **responses(InvalidAccessToken, CourseNotFound, NotCourseEditor, InvalidCourse),
    },
    summary="Export a course as a LibreLingo zip",
)
async def export_course(context: EditableCourse, db: Db) -> Response:
    slug = context.course.slug
    spec = await db.read(
        lambda session: content_export.course_spec(
            session, course_id=context.course.id, exercises=False
        )
    )
    try:
        data = await asyncio.to_thread(content_export.export_zip, spec, slug=slug)
    except CourseFormatError as error:
        raise InvalidCourse.from_format_error(error) from error
    return Response(
        data,
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{slug}.zip"'},
    )
