"""Registration and sign-in."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, status
from fastapi.security import OAuth2PasswordRequestForm

from app.core.errors import RateLimited, responses
from app.deps import Auth, Db, client_address
from app.schemas.auth import LoginRequest, RefreshRequest, TokenPair
from app.schemas.users import UserPublic, UserRegister
from app.services import auth as auth_service
from app.services.users import AccountExists

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post(
    "/register",
    status_code=status.HTTP_201_CREATED,
    responses=responses(AccountExists),
)
async def register(data: UserRegister, db: Db, auth: Auth) -> UserPublic:
    user = await auth_service.register(db=db, auth=auth, data=data)
    return UserPublic.model_validate(user)


@router.post(
    "/token",
    responses=responses(auth_service.InvalidCredentials, RateLimited),
    summary="Sign in with the OAuth2 password form (used by /docs' Authorize button)",
)
async def token(
    form: Annotated[OAuth2PasswordRequestForm, Depends()], request: Request, db: Db, auth: Auth
) -> TokenPair:
    user = await auth_service.authenticate(
        db=db,
        auth=auth,
        login=form.username,
        password=form.password,
        client=client_address(request),
    )
    return await auth_service.issue_tokens(db=db, auth=auth, user=user)


@router.post(
    "/login",
    responses=responses(auth_service.InvalidCredentials, RateLimited),
    summary="Sign in with JSON: email or username, and password",
)
async def login(credentials: LoginRequest, request: Request, db: Db, auth: Auth) -> TokenPair:
    user = await auth_service.authenticate(
        db=db,
        auth=auth,
        login=credentials.login,
        password=credentials.password,
        client=client_address(request),
    )
    return await auth_service.issue_tokens(db=db, auth=auth, user=user)


@router.post("/refresh", responses=responses(auth_service.InvalidRefreshToken))
async def refresh(body: RefreshRequest, db: Db, auth: Auth) -> TokenPair:
    return await auth_service.rotate_refresh_token(db=db, auth=auth, token=body.refresh_token)


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
async def logout(body: RefreshRequest, db: Db, auth: Auth) -> None:
    await auth_service.logout(db=db, auth=auth, token=body.refresh_token)
