"""Units (LibreLingo modules) of a course."""

from __future__ import annotations

from fastapi import APIRouter, status

from app.core.errors import responses
from app.deps import Db
from app.deps.content import EditableCourse, EditableUnit, PageParams, ReadableCourse, ReadableUnit
from app.schemas.base import Page
from app.schemas.content import UnitCreate, UnitPublic, UnitUpdate
from app.services import courses
from app.services.auth import InvalidAccessToken
from app.services.courses import (
    CourseNotFound,
    KeyTaken,
    NotCourseEditor,
    SlugTaken,
    UnitNotFound,
)

router = APIRouter(tags=["units"])


@router.get("/courses/{course_id}/units", responses=responses(InvalidAccessToken, CourseNotFound))
async def list_units(context: ReadableCourse, db: Db, page: PageParams) -> Page[UnitPublic]:
    units, count = await db.read(
        lambda session: courses.list_units(
            session, course_id=context.course.id, offset=page.offset, limit=page.limit
        )
    )
    return Page(data=[UnitPublic.model_validate(unit) for unit in units], count=count)


@router.post(
    "/courses/{course_id}/units",
    status_code=status.HTTP_201_CREATED,
    responses=responses(InvalidAccessToken, CourseNotFound, NotCourseEditor, SlugTaken, KeyTaken),
)
async def create_unit(context: EditableCourse, data: UnitCreate, db: Db) -> UnitPublic:
    unit = await db.write(
        lambda session: courses.create_unit(session, course_id=context.course.id, data=data)
    )
    return UnitPublic.model_validate(unit)


@router.get("/units/{unit_id}", responses=responses(InvalidAccessToken, UnitNotFound))
async def read_unit(context: ReadableUnit) -> UnitPublic:
    return UnitPublic.model_validate(context.unit)


@router.patch(
    "/units/{unit_id}",
    responses=responses(InvalidAccessToken, UnitNotFound, NotCourseEditor, SlugTaken),
)
async def update_unit(context: EditableUnit, changes: UnitUpdate, db: Db) -> UnitPublic:
    """Rename a unit or move it: ``position`` is its new index, the others shift."""
    unit = await db.write(
        lambda session: courses.update_unit(session, unit_id=context.unit.id, changes=changes)
    )
    return UnitPublic.model_validate(unit)


@router.delete(
    "/units/{unit_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(InvalidAccessToken, UnitNotFound, NotCourseEditor),
)
async def delete_unit(context: EditableUnit, db: Db) -> None:
    """Delete the unit with its lessons, items and exercises."""
    await db.write(lambda session: courses.delete_unit(session, unit_id=context.unit.id))
