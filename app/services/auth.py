"""Sign-in: passwords, access tokens, rotating refresh tokens and login throttling."""

from __future__ import annotations

import asyncio
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from app.core.clock import Clock
from app.core.config import Settings
from app.core.database import Database, HotQuery
from app.core.errors import RateLimited, Unauthorized
from app.core.security import (
    InvalidToken,
    PasswordHasher,
    TokenSigner,
    hash_refresh_token,
    new_refresh_token,
)
from app.models.user import RefreshToken, Role, User
from app.schemas.auth import TokenPair
from app.schemas.users import UserRegister
from app.services import users
from app.services.rate_limit import RateLimiter


class InvalidCredentials(Unauthorized):
    code = "invalid_credentials"
    # One message for an unknown account and a wrong password: no account probing.
    default_message = "The email/username or password is incorrect."


class InvalidRefreshToken(Unauthorized):
    code = "invalid_refresh_token"
    default_message = "This session has ended. Sign in again."


class InvalidAccessToken(Unauthorized):
    code = "invalid_token"
    default_message = "Your sign-in is invalid or has expired."


@dataclass(frozen=True, slots=True)
class AuthKit:
    """What sign-in needs, built once per app."""

    settings: Settings
    hasher: PasswordHasher
    signer: TokenSigner
    limiter: RateLimiter
    clock: Clock


async def register(*, db: Database, auth: AuthKit, data: UserRegister) -> User:
    # Argon2 takes ~100 ms of CPU: never on the event loop.
    password_hash = await asyncio.to_thread(auth.hasher.hash, data.password)
    return await db.write(
        lambda session: users.create(
            session,
            email=data.email,
            username=data.username,
            password_hash=password_hash,
            display_name=data.display_name,
            timezone=data.timezone,
        )
    )


async def authenticate(
    *, db: Database, auth: AuthKit, login: str, password: str, client: str
) -> User:
    """The account for these credentials, or InvalidCredentials / RateLimited."""
    settings = auth.settings
    window = settings.login_window_seconds
    account_key = f"login:account:{login.strip().lower()}"
    # Every attempt from an address counts; for an account only failures count,
    # so an attacker cannot lock a learner out by signing in as them successfully.
    retry_after = await auth.limiter.hit(
        f"login:client:{client}", limit=settings.login_attempts_per_client, window_seconds=window
    ) or await auth.limiter.peek(
        account_key, limit=settings.login_attempts_per_account, window_seconds=window
    )
    if retry_after is not None:
        raise RateLimited(retry_after=retry_after)

    user = await db.read(lambda session: users.find_by_login(session, login=login))
    stored_hash = user.password_hash if user is not None and user.is_active else None
    valid = await asyncio.to_thread(auth.hasher.verify, password, stored_hash)
    if not valid or user is None:
        await auth.limiter.hit(
            account_key, limit=settings.login_attempts_per_account, window_seconds=window
        )
        raise InvalidCredentials
    await auth.limiter.reset(account_key, window_seconds=window)
    return user


def _store_refresh_token(
    session: Session, *, auth: AuthKit, user_id: int, family: str, now: datetime
) -> str:
    token = new_refresh_token()
    session.add(
        RefreshToken(
            user_id=user_id,
            token_hash=hash_refresh_token(token),
            family=family,
            issued_at=now,
            expires_at=now + timedelta(days=auth.settings.refresh_token_days),
        )
    )
    return token


def _token_pair(*, auth: AuthKit, user: User, refresh_token: str, now: datetime) -> TokenPair:
    return TokenPair(
        access_token=auth.signer.issue_access(
            user_id=user.id, token_version=user.token_version, now=now
        ),
        refresh_token=refresh_token,
        expires_in=int(auth.signer.access_lifetime.total_seconds()),
    )


async def issue_tokens(*, db: Database, auth: AuthKit, user: User) -> TokenPair:
    """A fresh token pair starting a new refresh-token family (one per sign-in)."""
    now = auth.clock.now()
    family = secrets.token_hex(16)
    refresh_token = await db.write(
        lambda session: _store_refresh_token(
            session, auth=auth, user_id=user.id, family=family, now=now
        )
    )
    return _token_pair(auth=auth, user=user, refresh_token=refresh_token, now=now)


@dataclass(frozen=True, slots=True)
class _Rotation:
    pair: TokenPair | None = None
    reused: bool = False


def _rotate(session: Session, *, auth: AuthKit, token: str, now: datetime) -> _Rotation:
    stored = session.scalars(
        select(RefreshToken).where(RefreshToken.token_hash == hash_refresh_token(token))
    ).one_or_none()
    if stored is None or stored.revoked_at is not None or stored.expires_at <= now:
        return _Rotation()
    # Claim the token atomically: of two concurrent presentations only one wins;
    # the other is treated as a replay, exactly like a later reuse.
    claimed = session.execute(  # type: ignore[attr-defined]  # CursorResult at runtime
        update(RefreshToken)
        .where(RefreshToken.id == stored.id, RefreshToken.used_at.is_(None))
        .values(used_at=now)
    ).rowcount
    if claimed != 1:
        session.execute(
            update(RefreshToken)
            .where(RefreshToken.family == stored.family, RefreshToken.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        return _Rotation(reused=True)
    user = session.get(User, stored.user_id)
    if user is None or not user.is_active:
        return _Rotation()
    new_token = _store_refresh_token(
        session, auth=auth, user_id=user.id, family=stored.family, now=now
    )
    return _Rotation(pair=_token_pair(auth=auth, user=user, refresh_token=new_token, now=now))


async def rotate_refresh_token(*, db: Database, auth: AuthKit, token: str) -> TokenPair:
    """Exchange a refresh token for a new pair; a reused token revokes its whole family."""
    now = auth.clock.now()
    rotation = await db.write(lambda session: _rotate(session, auth=auth, token=token, now=now))
    if rotation.reused:
        raise InvalidRefreshToken(
            "This refresh token was already used; every session it started has been "
            "signed out. Sign in again."
        )
    if rotation.pair is None:
        raise InvalidRefreshToken
    return rotation.pair


def _revoke_family(session: Session, *, token: str, now: datetime) -> None:
    family = session.scalar(
        select(RefreshToken.family).where(RefreshToken.token_hash == hash_refresh_token(token))
    )
    if family is not None:
        session.execute(
            update(RefreshToken)
            .where(RefreshToken.family == family, RefreshToken.revoked_at.is_(None))
            .values(revoked_at=now)
        )


async def logout(*, db: Database, auth: AuthKit, token: str) -> None:
    """End the sign-in this refresh token belongs to. Unknown tokens are ignored."""
    now = auth.clock.now()
    await db.write(lambda session: _revoke_family(session, token=token, now=now))


@dataclass(frozen=True, slots=True)
class Account:
    """The signed-in user as every authenticated request sees it (read below the ORM)."""

    id: int
    email: str
    username: str
    display_name: str
    role: Role
    timezone: str
    daily_goal: int
    created_at: datetime
    is_active: bool
    token_version: int


# Every authenticated request runs this, so it is a HotQuery (see app.core.database).
_ACCOUNT_BY_ID = HotQuery(
    select(
        User.id,
        User.email,
        User.username,
        User.display_name,
        User.role,
        User.timezone,
        User.daily_goal,
        User.created_at,
        User.is_active,
        User.token_version,
    ).where(User.id == bindparam("user_id"))
)


async def account_for_access_token(*, db: Database, auth: AuthKit, token: str) -> Account:
    try:
        claims = auth.signer.read_access(token, now=auth.clock.now())
    except InvalidToken as error:
        raise InvalidAccessToken from error
    row = await db.fetch_one(_ACCOUNT_BY_ID, user_id=claims.user_id)
    if row is None:
        raise InvalidAccessToken
    account = Account(*row)
    if not account.is_active or account.token_version != claims.token_version:
        raise InvalidAccessToken
    return account
