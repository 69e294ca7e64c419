"""The signed-in user's own account."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from app.core.errors import responses
from app.deps import CurrentUser, Db
from app.schemas.learning import ProgressPublic, XpHistory
from app.schemas.users import UserPublic, UserUpdate
from app.services import progress, users
from app.services.auth import InvalidAccessToken

router = APIRouter(prefix="/users", tags=["users"])


@router.get("/me", responses=responses(InvalidAccessToken))
async def read_me(user: CurrentUser) -> UserPublic:
    return UserPublic.model_validate(user)


@router.get("/me/progress", responses=responses(InvalidAccessToken))
async def read_progress(user: CurrentUser, db: Db, request: Request) -> ProgressPublic:
    now = request.app.state.clock.now()
    return await db.read(lambda session: progress.progress(session, user_id=user.id, now=now))


@router.get("/me/xp-history", responses=responses(InvalidAccessToken))
async def read_xp_history(
    user: CurrentUser,
    db: Db,
    request: Request,
    days: Annotated[int, Query(ge=1, le=progress.MAX_HISTORY_DAYS)] = 14,
) -> XpHistory:
    now = request.app.state.clock.now()
    return await db.read(
        lambda session: progress.xp_history(session, user_id=user.id, days=days, now=now)
    )


@router.patch("/me", responses=responses(InvalidAccessToken))
async def update_me(changes: UserUpdate, user: CurrentUser, db: Db) -> UserPublic:
    updated = await db.write(
        lambda session: users.update(session, user_id=user.id, changes=changes)
    )
    return UserPublic.model_validate(updated)
