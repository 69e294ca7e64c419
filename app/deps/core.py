"""Dependencies every router uses. All are ``async def``: a plain ``def`` dependency
costs a thread-pool hop on every request."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer

from app.core.config import Settings
from app.core.database import Database
from app.core.errors import Forbidden
from app.models.user import Role
from app.services import auth as auth_service
from app.services.auth import Account, AuthKit

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


async def get_db(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


async def get_auth(request: Request) -> AuthKit:
    auth: AuthKit = request.app.state.auth
    return auth


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


Db = Annotated[Database, Depends(get_db)]
Auth = Annotated[AuthKit, Depends(get_auth)]
AppSettings = Annotated[Settings, Depends(get_settings)]


async def current_account(
    db: Db, auth: Auth, token: Annotated[str | None, Depends(oauth2_scheme)]
) -> Account:
    if not token:
        raise auth_service.InvalidAccessToken("Sign in to continue.")
    return await auth_service.account_for_access_token(db=db, auth=auth, token=token)


CurrentUser = Annotated[Account, Depends(current_account)]


def require_role(*roles: Role) -> Any:
    allowed = frozenset(roles) | {Role.admin}

    async def dependency(user: CurrentUser) -> Account:
        if user.role not in allowed:
            raise Forbidden(f"This needs the {' or '.join(sorted(allowed))} role.")
        return user

    return Depends(dependency)


AuthorUser = Annotated[Account, require_role(Role.author)]
AdminUser = Annotated[Account, require_role(Role.admin)]


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"
