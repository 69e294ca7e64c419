"""Weekly leagues over real databases: joining, standings in SQL and Redis, closing the week."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta

import pytest
import redis.asyncio as aioredis
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.database import Database
from app.models import League, LeagueMember, User, XpEvent
from app.services import leaderboard
from app.services.learning import Tier
from tests.environment import missing

REDIS_URL = os.environ.get("REDIS_URL", "")
MONDAY = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


def _users(session: Session, count: int, *, tier: str = "bronze") -> list[int]:
    users = [
        User(
            email=f"u{index}@example.com",
            username=f"u{index}",
            password_hash="x",
            league_tier=tier,
        )
        for index in range(count)
    ]
    session.add_all(users)
    session.flush()
    return [user.id for user in users]


def _earn(session: Session, *, user_id: int, amount: int, at: datetime) -> None:
    session.add(
        XpEvent(
            user_id=user_id, amount=amount, reason="lesson", created_at=at, local_date=at.date()
        )
    )
    leaderboard.join_week(session, user=session.get_one(User, user_id), now=at)


class TestJoining:
    def test_leagues_fill_to_thirty_then_open_another(self, db: Database) -> None:
        def scenario(session: Session) -> list[int]:
            for user_id in _users(session, 61):
                _earn(session, user_id=user_id, amount=10, at=MONDAY)
            return [
                league.size for league in session.scalars(select(League).order_by(League.number))
            ]

        assert db.run_write(scenario) == [30, 30, 1]

    def test_joining_twice_in_a_week_keeps_one_seat(self, db: Database) -> None:
        def scenario(session: Session) -> int:
            (user_id,) = _users(session, 1)
            _earn(session, user_id=user_id, amount=10, at=MONDAY)
            _earn(session, user_id=user_id, amount=10, at=MONDAY + timedelta(days=2))
            return len(session.scalars(select(LeagueMember)).all())

        assert db.run_write(scenario) == 1

    def test_a_new_week_is_a_new_league(self, db: Database) -> None:
        def scenario(session: Session) -> set[date]:
            (user_id,) = _users(session, 1)
            _earn(session, user_id=user_id, amount=10, at=MONDAY)
            _earn(session, user_id=user_id, amount=10, at=MONDAY + timedelta(days=7))
            return {m.week_start for m in session.scalars(select(LeagueMember))}

        assert db.run_write(scenario) == {date(2026, 11, 30), date(2026, 12, 7)}


def require_redis(scores: leaderboard.RedisScores | None) -> leaderboard.RedisScores:
    """CI always sets REDIS_URL; a developer without Redis is told, not silently passed."""
    if scores is None:
        missing("set REDIS_URL to run the Redis half of this test")
    return scores


@pytest.fixture
async def redis_scores() -> AsyncIterator[leaderboard.RedisScores | None]:
    if not REDIS_URL:
        yield None
        return
    client = aioredis.from_url(REDIS_URL)
    prefix = f"grader-test:{uuid.uuid4().hex}:"
    yield leaderboard.RedisScores(client, prefix=prefix)
    async for key in client.scan_iter(match=f"{prefix}*"):
        await client.delete(key)
    await client.aclose()


class TestStandings:
    def _scenario(self, session: Session) -> tuple[int, list[int]]:
        ids = _users(session, 5)
        # Ties on XP are broken by who got there first.
        for user_id, amount, minutes in zip(ids, [30, 50, 30, 10, 0], [5, 1, 2, 9, 3], strict=True):
            if amount:
                _earn(
                    session, user_id=user_id, amount=amount, at=MONDAY + timedelta(minutes=minutes)
                )
        league_id = session.scalars(select(League.id)).one()
        return league_id, ids

    async def test_sql_ranks_by_xp_then_by_who_reached_it_first(self, db: Database) -> None:
        league_id, ids = db.run_write(self._scenario)
        entries = db.run_write(
            lambda s: leaderboard.ledger_entries(s, league_id=league_id, week=MONDAY.date())
        )
        table = leaderboard.rank(entries, tier=Tier.BRONZE)
        assert [(row.user_id, row.xp) for row in table] == [
            (ids[1], 50), (ids[2], 30), (ids[0], 30), (ids[3], 10),
        ]  # fmt: skip

    async def test_redis_and_sql_give_identical_standings(
        self, db: Database, redis_scores: leaderboard.RedisScores | None
    ) -> None:
        redis_scores = require_redis(redis_scores)
        league_id, ids = db.run_write(self._scenario)
        now = MONDAY + timedelta(hours=1)
        scores = [
            score
            for user_id in ids
            if (
                score := db.run_write(
                    lambda s, u=user_id: leaderboard.member_score(s, user_id=u, now=now)
                )
            )
        ]
        await redis_scores.publish(scores)
        await redis_scores.publish(scores)  # publishing again changes nothing
        member_ids = [score.user_id for score in scores]
        from_redis = await redis_scores.entries(league_id=league_id, member_ids=member_ids)
        from_sql = db.run_write(
            lambda s: leaderboard.ledger_entries(s, league_id=league_id, week=MONDAY.date())
        )
        assert from_redis is not None
        assert leaderboard.rank(from_redis, tier=Tier.SILVER) == leaderboard.rank(
            from_sql, tier=Tier.SILVER
        )

    async def test_redis_missing_a_member_falls_back(
        self, db: Database, redis_scores: leaderboard.RedisScores | None
    ) -> None:
        redis_scores = require_redis(redis_scores)
        league_id, ids = db.run_write(self._scenario)
        assert await redis_scores.entries(league_id=league_id, member_ids=ids[:4]) is None


class TestCloseWeek:
    def test_closing_moves_learners_between_tiers_once(self, db: Database) -> None:
        def scenario(session: Session) -> list[int]:
            ids = _users(session, 10, tier="silver")
            for rank, user_id in enumerate(ids):
                _earn(session, user_id=user_id, amount=100 - rank, at=MONDAY)
            return ids

        ids = db.run_write(scenario)
        after_week = MONDAY + timedelta(days=7, hours=1)
        first = db.run_write(
            lambda s: leaderboard.close_week(s, week=MONDAY.date(), now=after_week)
        )
        again = db.run_write(
            lambda s: leaderboard.close_week(s, week=MONDAY.date(), now=after_week)
        )
        tiers = db.run_write(
            lambda s: dict(
                s.execute(select(User.id, User.league_tier).where(User.id.in_(ids))).all()
            )
        )
        # 10 learners: the top 3 go up, the bottom 1 goes down.
        assert [tiers[user_id] for user_id in ids] == ["gold"] * 3 + ["silver"] * 6 + ["bronze"]
        assert (first.leagues_closed, first.promoted, first.demoted) == (1, 3, 1)
        assert (again.leagues_closed, again.promoted, again.demoted) == (0, 0, 0)

    def test_the_current_week_cannot_be_closed(self, db: Database) -> None:
        with pytest.raises(leaderboard.WeekNotOver):
            db.run_write(
                lambda s: leaderboard.close_week(
                    s, week=MONDAY.date(), now=MONDAY + timedelta(days=3)
                )
            )
