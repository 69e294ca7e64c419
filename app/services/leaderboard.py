"""Weekly leagues: joining, standings (SQL or Redis) and closing the week.

The XP ledger is the truth. Redis, when configured, keeps each league's weekly
XP in a sorted set (and when each learner reached it, for ties) so reading a
league needs no aggregation; scores are written as absolute values computed
from the ledger, so a retried write is harmless and a lost one heals on the
learner's next lesson. Both paths feed the same pure ranking
(``app.services.learning.leagues``) and give identical standings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import redis.asyncio as aioredis
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.core.errors import Conflict
from app.models.learning import League, LeagueMember, XpEvent
from app.models.user import User
from app.services.learning import LeagueEntry, Standing, Tier, assign_league, standings, week_start
from app.services.learning import close_week as close_league
from app.services.learning.leagues import LEAGUE_SIZE, zone_sizes

WEEK = timedelta(days=7)
REDIS_PREFIX = "grader:league:"


class WeekNotOver(Conflict):
    code = "week_not_over"
    default_message = "A week can be closed only after it has ended."


def week_of(moment: datetime) -> date:
    """Leagues run Monday to Sunday in UTC, the same week for every learner."""
    return week_start(moment.astimezone(UTC).date())


def week_bounds(week: date) -> tuple[datetime, datetime]:
    start = datetime(week.year, week.month, week.day, tzinfo=UTC)
    return start, start + WEEK


# -- joining -------------------------------------------------------------------------------


def join_week(session: Session, *, user: User, now: datetime) -> LeagueMember:
    """The learner's league this week, joining one of their tier on their first XP."""
    week = week_of(now)
    member = session.scalars(
        select(LeagueMember).where(LeagueMember.user_id == user.id, LeagueMember.week_start == week)
    ).one_or_none()
    if member is not None:
        return member
    for _ in range(5):  # concurrent joiners may race for the same seat or league number
        league_id = _take_seat(session, week=week, tier=user.league_tier)
        if league_id is not None:
            member = LeagueMember(
                league_id=league_id, user_id=user.id, week_start=week, joined_at=now
            )
            session.add(member)
            session.flush()
            return member
    raise Conflict("Could not find a league seat; try again.")


def _take_seat(session: Session, *, week: date, tier: str) -> int | None:
    leagues = session.execute(
        select(League.id, League.size)
        .where(League.week_start == week, League.tier == tier)
        .order_by(League.number)
    ).all()
    index = assign_league([size for _, size in leagues])
    if index < len(leagues):
        league_id = leagues[index][0]
        # Conditional increment: two joiners cannot both take the 30th seat.
        taken = session.execute(  # type: ignore[attr-defined]  # CursorResult at runtime
            update(League)
            .where(League.id == league_id, League.size < LEAGUE_SIZE)
            .values(size=League.size + 1)
        ).rowcount
        return league_id if taken == 1 else None
    try:
        with session.begin_nested():
            league = League(week_start=week, tier=tier, number=len(leagues), size=1)
            session.add(league)
        return league.id
    except IntegrityError:  # another joiner opened that league first
        return None


# -- standings -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MemberScore:
    league_id: int
    user_id: int
    xp: int
    reached_at: datetime | None


def ledger_entries(session: Session, *, league_id: int, week: date) -> list[LeagueEntry]:
    """Each member's XP this week, and when they reached it, from the ledger."""
    start, end = week_bounds(week)
    members = select(LeagueMember.user_id).where(LeagueMember.league_id == league_id)
    totals = {
        row[0]: (int(row[1]), row[2])
        for row in session.execute(
            select(XpEvent.user_id, func.sum(XpEvent.amount), func.max(XpEvent.created_at))
            .where(
                XpEvent.user_id.in_(members),
                XpEvent.created_at >= start,
                XpEvent.created_at < end,
            )
            .group_by(XpEvent.user_id)
        )
    }
    return [
        LeagueEntry(
            user_id=user_id,
            xp=totals.get(user_id, (0, None))[0],
            reached_at=totals.get(user_id, (0, None))[1],
        )
        for user_id in session.scalars(members)
    ]


def member_score(session: Session, *, user_id: int, now: datetime) -> MemberScore | None:
    """This week's score of one learner, for publishing to Redis after a completion."""
    week = week_of(now)
    league_id = session.scalar(
        select(LeagueMember.league_id).where(
            LeagueMember.user_id == user_id, LeagueMember.week_start == week
        )
    )
    if league_id is None:
        return None
    start, end = week_bounds(week)
    xp, reached_at = session.execute(
        select(func.coalesce(func.sum(XpEvent.amount), 0), func.max(XpEvent.created_at)).where(
            XpEvent.user_id == user_id, XpEvent.created_at >= start, XpEvent.created_at < end
        )
    ).one()
    return MemberScore(league_id=league_id, user_id=user_id, xp=int(xp), reached_at=reached_at)


class RedisScores:
    """League scores in Redis sorted sets: ``ZADD`` of absolute weekly XP."""

    def __init__(self, client: aioredis.Redis, *, prefix: str = REDIS_PREFIX) -> None:
        self._redis = client
        self._prefix = prefix

    def _keys(self, league_id: int) -> tuple[str, str]:
        return f"{self._prefix}{league_id}:xp", f"{self._prefix}{league_id}:reached"

    async def publish(self, scores: list[MemberScore]) -> None:
        async with self._redis.pipeline(transaction=True) as pipe:
            for score in scores:
                xp_key, reached_key = self._keys(score.league_id)
                pipe.zadd(xp_key, {str(score.user_id): score.xp})
                if score.reached_at is not None:
                    pipe.hset(reached_key, str(score.user_id), score.reached_at.isoformat())
                # Keys outlive the week (it may close late) but not forever.
                pipe.expire(xp_key, int(timedelta(days=21).total_seconds()))
                pipe.expire(reached_key, int(timedelta(days=21).total_seconds()))
            await pipe.execute()

    async def entries(self, *, league_id: int, member_ids: list[int]) -> list[LeagueEntry] | None:
        """The league's entries, or None when Redis does not know every member."""
        xp_key, reached_key = self._keys(league_id)
        async with self._redis.pipeline(transaction=False) as pipe:
            pipe.zrange(xp_key, 0, -1, withscores=True)
            pipe.hgetall(reached_key)
            scored, reached = await pipe.execute()
        xp = {int(member): int(score) for member, score in scored}
        if set(member_ids) - xp.keys():
            return None
        reached_at = {int(k): datetime.fromisoformat(v.decode()) for k, v in reached.items()}
        return [
            LeagueEntry(user_id=user_id, xp=xp[user_id], reached_at=reached_at.get(user_id))
            for user_id in member_ids
        ]


@dataclass(frozen=True, slots=True)
class LeagueSnapshot:
    league_id: int
    week: date
    tier: Tier
    number: int
    member_ids: list[int]
    names: dict[int, tuple[str, str]]


def my_league(session: Session, *, user_id: int, now: datetime) -> LeagueSnapshot | None:
    week = week_of(now)
    league = session.execute(
        select(League)
        .join(LeagueMember, LeagueMember.league_id == League.id)
        .where(LeagueMember.user_id == user_id, LeagueMember.week_start == week)
    ).scalar_one_or_none()
    if league is None:
        return None
    rows = session.execute(
        select(User.id, User.username, User.display_name)
        .join(LeagueMember, LeagueMember.user_id == User.id)
        .where(LeagueMember.league_id == league.id)
    ).all()
    return LeagueSnapshot(
        league_id=league.id,
        week=week,
        tier=Tier(league.tier),
        number=league.number,
        member_ids=[row[0] for row in rows],
        names={row[0]: (row[1], row[2]) for row in rows},
    )


def rank(entries: list[LeagueEntry], *, tier: Tier) -> list[Standing]:
    return standings(entries, tier=tier)


def zones(size: int) -> tuple[int, int]:
    return zone_sizes(size)


# -- closing the week ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WeekClosed:
    week: date
    leagues_closed: int
    promoted: int
    demoted: int


def close_week(session: Session, *, week: date, now: datetime) -> WeekClosed:
    """Rank every open league of ``week`` and move learners between tiers. Idempotent."""
    if week_bounds(week)[1] > now:
        raise WeekNotOver(f"The week of {week.isoformat()} has not ended yet.")
    open_leagues = session.scalars(
        select(League)
        .where(League.week_start == week, League.closed_at.is_(None))
        .order_by(League.tier, League.number)
        .with_for_update()
    ).all()
    promoted = demoted = 0
    for league in open_leagues:
        moves = close_league(
            ledger_entries(session, league_id=league.id, week=week), tier=Tier(league.tier)
        )
        for move in moves:
            session.execute(
                update(LeagueMember)
                .where(LeagueMember.league_id == league.id, LeagueMember.user_id == move.user_id)
                .values(final_rank=move.rank, zone=str(move.zone), next_tier=str(move.to_tier))
            )
            session.execute(
                update(User).where(User.id == move.user_id).values(league_tier=str(move.to_tier))
            )
            promoted += move.to_tier.level > move.from_tier.level
            demoted += move.to_tier.level < move.from_tier.level
        league.closed_at = now
    return WeekClosed(
        week=week, leagues_closed=len(open_leagues), promoted=promoted, demoted=demoted
    )


def last_finished_week(now: datetime) -> date:
    return week_of(now) - WEEK


def tier_of(session: Session, *, user_id: int) -> str:
    return session.get_one(User, user_id).league_tier


def as_scores(league_id: int, entries: list[LeagueEntry]) -> list[MemberScore]:
    return [
        MemberScore(league_id=league_id, user_id=e.user_id, xp=e.xp, reached_at=e.reached_at)
        for e in entries
    ]
