"""The signed-in user's own account."""

from __future__ import annotations

from fastapi import APIRouter

from app.core.errors import responses
from app.deps import CurrentUser, Db
from app.schemas.users import UserPublic, UserUpdate
from app.services import users
from app.services.auth import InvalidAccessToken

router = APIRouter(prefix="/users", tags=["users"])


@router.get("/me", responses=responses(InvalidAccessToken))
async def read_me(user: CurrentUser) -> UserPublic:
    return UserPublic.model_validate(user)


@router.patch("/me", responses=responses(InvalidAccessToken))
async def update_me(changes: UserUpdate, user: CurrentUser, db: Db) -> UserPublic:
    updated = await db.write(
        lambda session: users.update(session, user_id=user.id, changes=changes)
    )
    return UserPublic.model_validate(updated)
