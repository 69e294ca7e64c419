"""This week's league."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request

from app.core.errors import responses
from app.deps import CurrentUser, Db
from app.schemas.learning import LeaderboardPublic, StandingPublic
from app.services import leaderboard
from app.services.auth import InvalidAccessToken

router = APIRouter(tags=["social"])


@router.get("/leaderboard", responses=responses(InvalidAccessToken))
async def read_leaderboard(user: CurrentUser, db: Db, request: Request) -> LeaderboardPublic:
    now: datetime = request.app.state.clock.now()
    week = leaderboard.week_of(now)
    ends_at = leaderboard.week_bounds(week)[1]
    snapshot = await db.read(
        lambda session: leaderboard.my_league(session, user_id=user.id, now=now)
    )
    if snapshot is None:
        tier = await db.read(lambda session: leaderboard.tier_of(session, user_id=user.id))
        return LeaderboardPublic(week_start=week, ends_at=ends_at, tier=tier, joined=False)

    scores: leaderboard.RedisScores | None = request.app.state.league_scores
    entries = None
    if scores is not None:
        entries = await scores.entries(league_id=snapshot.league_id, member_ids=snapshot.member_ids)
    if entries is None:
        entries = await db.read(
            lambda session: leaderboard.ledger_entries(
                session, league_id=snapshot.league_id, week=week
            )
        )
        if scores is not None:  # Redis lost (or never had) this league: refill it
            await scores.publish(leaderboard.as_scores(snapshot.league_id, entries))
    table = leaderboard.rank(entries, tier=snapshot.tier)
    promote, demote = leaderboard.zones(len(table))
    return LeaderboardPublic(
        week_start=week,
        ends_at=ends_at,
        tier=str(snapshot.tier),
        joined=True,
        league_number=snapshot.number + 1,
        promotion_slots=0 if snapshot.tier.is_highest else promote,
        demotion_slots=0 if snapshot.tier.is_lowest else demote,
        standings=[
            StandingPublic(
                rank=row.rank,
                user_id=row.user_id,
                username=snapshot.names[row.user_id][0],
                display_name=snapshot.names[row.user_id][1],
                xp=row.xp,
                zone=str(row.zone),
                is_you=row.user_id == user.id,
            )
            for row in table
        ],
        your_rank=next((row.rank for row in table if row.user_id == user.id), None),
    )
