"""Accounts and the refresh tokens that keep them signed in."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, Enum, ForeignKey, Index, String, func
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, TimestampMixin, utcnow


class Role(StrEnum):
    learner = "learner"
    author = "author"
    admin = "admin"


DAILY_GOALS = (10, 20, 30, 50)
MAX_HEARTS = 5


class User(TimestampMixin, Base):
    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    username: Mapped[str] = mapped_column(String(32), unique=True)
    display_name: Mapped[str] = mapped_column(String(64), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(
        Enum(
            Role,
            native_enum=False,
            length=16,
            values_callable=lambda roles: [r.value for r in roles],
        ),
        default=Role.learner,
    )
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    daily_goal: Mapped[int] = mapped_column(default=20)
    hearts: Mapped[int] = mapped_column(default=MAX_HEARTS)
    # Hearts refill from this moment on; None while they are full.
    hearts_refill_from: Mapped[datetime | None] = mapped_column(default=None)
    is_active: Mapped[bool] = mapped_column(default=True)
    # Bumped on logout-everywhere and password change: older access tokens die.
    token_version: Mapped[int] = mapped_column(default=0)
    # The streak ledger (app.services.learning.streaks), updated in O(1) per activity.
    streak_length: Mapped[int] = mapped_column(default=0)
    streak_last_date: Mapped[date | None] = mapped_column(Date, default=None)
    streak_freezes: Mapped[int] = mapped_column(default=0)
    league_tier: Mapped[str] = mapped_column(String(16), default="bronze")


class RefreshToken(Base):
    """One issued refresh token, stored only as a hash.

    Tokens of one login form a family; presenting a token that was already
    rotated revokes the whole family (it was stolen, or replayed).
    """

    __tablename__ = "refresh_token"
    __table_args__ = (Index("ix_refresh_token_family", "family"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    family: Mapped[str] = mapped_column(String(32))
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None] = mapped_column(default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)


# Usernames are unique regardless of case; emails are stored lower-cased.
Index("uq_user_username_lower", func.lower(User.username), unique=True)
