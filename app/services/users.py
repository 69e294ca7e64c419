"""Accounts: creation, lookup and the changes a user may make to themselves."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.core.errors import Conflict, NotFound
from app.models.user import Role, User
from app.schemas.users import UserUpdate


class AccountExists(Conflict):
    code = "account_exists"
    default_message = "An account with that email or username already exists."


def find_by_login(session: Session, *, login: str) -> User | None:
    """The account whose email or username (case-insensitively) is ``login``."""
    lowered = login.strip().lower()
    column = User.email if "@" in lowered else func.lower(User.username)
    return session.scalars(select(User).where(column == lowered)).one_or_none()


def get(session: Session, *, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("No such user.")
    return user


def _taken_fields(session: Session, *, email: str, username: str) -> list[str]:
    taken = []
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        taken.append("email")
    username_match = func.lower(User.username) == username.lower()
    if session.scalar(select(User.id).where(username_match)) is not None:
        taken.append("username")
    return taken


def create(
    session: Session,
    *,
    email: str,
    username: str,
    password_hash: str,
    display_name: str = "",
    timezone: str = "UTC",
    role: Role = Role.learner,
) -> User:
    email = email.lower()
    taken = _taken_fields(session, email=email, username=username)
    if taken:
        raise AccountExists(
            f"That {' and '.join(taken)} {'is' if len(taken) == 1 else 'are'} already taken.",
            details={"fields": taken},
        )
    user = User(
        email=email,
        username=username,
        password_hash=password_hash,
        display_name=display_name or username,
        timezone=timezone,
        role=role,
    )
    session.add(user)
    try:
        session.flush()
    except IntegrityError as error:  # a concurrent registration won the race
        raise AccountExists(details={"fields": ["email", "username"]}) from error
    return user


def update(session: Session, *, user_id: int, changes: UserUpdate) -> User:
    user = get(session, user_id=user_id)
    for field, value in changes.model_dump(exclude_unset=True, exclude_none=True).items():
        setattr(user, field, value)
    return user
