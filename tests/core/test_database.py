"""The Database: transactions, hot queries and where work runs."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, datetime

import pytest
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from app.core.database import Database, HotQuery
from app.models.user import Role, User


def _add_user(session: Session, name: str) -> int:
    user = User(email=f"{name}@example.com", username=name, password_hash="x", role=Role.author)
    session.add(user)
    session.flush()
    return user.id


def _count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(User)) or 0)


class TestWrite:
    async def test_work_is_committed_when_it_returns(self, db: Database) -> None:
        await db.write(lambda session: _add_user(session, "ana"))
        assert await db.read(_count) == 1

    async def test_work_is_rolled_back_when_it_raises(self, db: Database) -> None:
        def failing(session: Session) -> None:
            _add_user(session, "ana")
            raise RuntimeError("boom")

        with pytest.raises(RuntimeError):
            await db.write(failing)
        assert await db.read(_count) == 0

    async def test_concurrent_writes_all_land(self, db: Database) -> None:
        await asyncio.gather(
            *(db.write(lambda session, i=i: _add_user(session, f"user{i}")) for i in range(40))
        )
        assert await db.read(_count) == 40


class TestHotQuery:
    async def test_rows_come_back_as_the_orm_would_give_them(self, db: Database) -> None:
        user_id = await db.write(lambda session: _add_user(session, "ana"))
        query = HotQuery(
            select(User.id, User.role, User.created_at, User.is_active).where(
                User.id == bindparam("user_id")
            )
        )
        row = await db.fetch_one(query, user_id=user_id)
        assert row is not None
        found_id, role, created_at, is_active = row
        assert found_id == user_id
        assert role is Role.author
        assert isinstance(created_at, datetime)
        assert created_at.tzinfo == UTC
        assert is_active is True
        await db.aclose_hot_connections()

    async def test_missing_row_is_none(self, db: Database) -> None:
        query = HotQuery(select(User.id).where(User.id == bindparam("user_id")))
        assert await db.fetch_one(query, user_id=12345) is None
        await db.aclose_hot_connections()

    async def test_hot_reads_see_committed_writes(self, db: Database) -> None:
        query = HotQuery(select(User.display_name).where(User.id == bindparam("user_id")))
        user_id = await db.write(lambda session: _add_user(session, "ana"))
        assert await db.fetch_one(query, user_id=user_id) == ("",)

        def rename(session: Session) -> None:
            session.get_one(User, user_id).display_name = "Ana"

        await db.write(rename)
        assert await db.fetch_one(query, user_id=user_id) == ("Ana",)
        await db.aclose_hot_connections()

    async def test_a_failed_hot_read_does_not_poison_the_next_ones(self, db: Database) -> None:
        query = HotQuery(select(User.username).where(User.id == bindparam("user_id")))
        user_id = await db.write(lambda session: _add_user(session, "ana"))
        # PostgreSQL rejects the text for an integer; SQLite finds no row.
        with contextlib.suppress(Exception):
            await db.fetch_one(query, user_id="not-a-number")
        for _ in range(6):  # more than the hot connections, so every one is reused
            assert await db.fetch_one(query, user_id=user_id) == ("ana",)
        await db.aclose_hot_connections()


class TestPlacement:
    def test_work_is_placed_by_backend(self, db: Database) -> None:
        if db.is_sqlite:
            # One writer thread serialises writes; reads run on the event loop.
            assert db._write_executor._max_workers == 1
            assert db._read_executor is None
        else:
            # No more threads than pooled connections, so no thread waits for one.
            assert db._read_executor is db._write_executor
            assert db._write_executor._max_workers == db.engine.pool.size()  # type: ignore[attr-defined]
