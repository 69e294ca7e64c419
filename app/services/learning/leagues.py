"""Weekly leagues: assignment, standings and the tier moves at the week's end.

Pure over plain data so that the SQL and the Redis backends, fed the same
entries, produce identical standings.

Rules (docs/learning-rules.md):

- 10 tiers, Bronze (lowest) to Diamond (highest); leagues of up to 30 learners.
- A learner joins a league of their tier with their first XP of the week;
  joiners fill the open league up to 30, then a new one opens.
- Ranking: more XP first; on a tie, whoever reached that XP first; then the
  lower user id. Ranks are 1..n with no shared ranks.
- Promotion zone: the top ``ceil(7 * n / 30)`` (7 in a full league); demotion
  zone: the bottom ``floor(5 * n / 30)`` (5 in a full league). No promotion
  from Diamond, no demotion from Bronze.
- A learner with 0 XP in the week is never promoted, and is demoted from any
  tier above Bronze wherever they rank.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from app.services.learning.calendar import to_utc

LEAGUE_SIZE = 30
PROMOTE_IN_FULL_LEAGUE = 7
DEMOTE_IN_FULL_LEAGUE = 5

_NEVER = datetime.min.replace(tzinfo=UTC)


class Tier(StrEnum):
    BRONZE = "bronze"
    SILVER = "silver"
    GOLD = "gold"
    SAPPHIRE = "sapphire"
    RUBY = "ruby"
    EMERALD = "emerald"
    AMETHYST = "amethyst"
    PEARL = "pearl"
    OBSIDIAN = "obsidian"
    DIAMOND = "diamond"

    @property
    def level(self) -> int:
        """0 for Bronze up to 9 for Diamond."""
        return _TIERS.index(self)

    @property
    def is_lowest(self) -> bool:
        return self is _TIERS[0]

    @property
    def is_highest(self) -> bool:
        return self is _TIERS[-1]

    def promoted(self) -> Tier:
        return self if self.is_highest else _TIERS[self.level + 1]

    def demoted(self) -> Tier:
        return self if self.is_lowest else _TIERS[self.level - 1]


_TIERS: tuple[Tier, ...] = tuple(Tier)


class Zone(StrEnum):
    PROMOTE = "promote"
    STAY = "stay"
    DEMOTE = "demote"


@dataclass(frozen=True, slots=True)
class LeagueEntry:
    """A learner's week in a league: XP this week and when they reached that total."""

    user_id: int
    xp: int
    reached_at: datetime | None = None
    """The instant of their last XP event this week; None only with 0 XP."""

    def __post_init__(self) -> None:
        if self.xp < 0:
            raise ValueError("weekly XP cannot be negative")
        if self.reached_at is not None:
            object.__setattr__(self, "reached_at", to_utc(self.reached_at))


@dataclass(frozen=True, slots=True)
class Standing:
    user_id: int
    rank: int
    xp: int
    zone: Zone


@dataclass(frozen=True, slots=True)
class TierMove:
    user_id: int
    rank: int
    zone: Zone
    from_tier: Tier
    to_tier: Tier


def assign_league(league_sizes: Sequence[int], *, capacity: int = LEAGUE_SIZE) -> int:
    """Index of the league a new joiner of this tier goes into.

    ``league_sizes`` are this week's leagues of the tier in opening order; the
    joiner goes into the last one if it has room, else into a new one (the
    returned index is then ``len(league_sizes)``).
    """
    if capacity < 1:
        raise ValueError("capacity must be positive")
    if league_sizes and league_sizes[-1] < capacity:
        return len(league_sizes) - 1
    return len(league_sizes)


def assign_leagues(
    user_ids_in_join_order: Iterable[int], *, capacity: int = LEAGUE_SIZE
) -> list[list[int]]:
    """Group a tier's joiners, in join order, into leagues of up to ``capacity``."""
    leagues: list[list[int]] = []
    seen: set[int] = set()
    for user_id in user_ids_in_join_order:
        if user_id in seen:
            raise ValueError(f"user {user_id} joined twice")
        seen.add(user_id)
        index = assign_league([len(league) for league in leagues], capacity=capacity)
        if index == len(leagues):
            leagues.append([])
        leagues[index].append(user_id)
    return leagues


def zone_sizes(league_size: int) -> tuple[int, int]:
    """(promotion slots, demotion slots) for a league of ``league_size`` learners."""
    if not 0 <= league_size <= LEAGUE_SIZE:
        raise ValueError(f"a league holds 0..{LEAGUE_SIZE} learners")
    promote = -(-PROMOTE_IN_FULL_LEAGUE * league_size // LEAGUE_SIZE)
    demote = DEMOTE_IN_FULL_LEAGUE * league_size // LEAGUE_SIZE
    return promote, demote


def _sort_key(entry: LeagueEntry) -> tuple[int, bool, datetime, int]:
    # More XP first; then whoever reached it first (no time: last); then the lower user id.
    reached = entry.reached_at if entry.reached_at is not None else _NEVER
    return (-entry.xp, entry.reached_at is None, reached, entry.user_id)


def standings(entries: Iterable[LeagueEntry], *, tier: Tier) -> list[Standing]:
    """The league table, best first, with each learner's zone."""
    ranked = sorted(entries, key=_sort_key)
    if len({entry.user_id for entry in ranked}) != len(ranked):
        raise ValueError("a learner appears twice in the league")
    promote, demote = zone_sizes(len(ranked))
    table = []
    for index, entry in enumerate(ranked):
        rank = index + 1
        if entry.xp == 0:
            zone = Zone.STAY if tier.is_lowest else Zone.DEMOTE
        elif rank <= promote and not tier.is_highest:
            zone = Zone.PROMOTE
        elif rank > len(ranked) - demote and not tier.is_lowest:
            zone = Zone.DEMOTE
        else:
            zone = Zone.STAY
        table.append(Standing(user_id=entry.user_id, rank=rank, xp=entry.xp, zone=zone))
    return table


def close_week(entries: Iterable[LeagueEntry], *, tier: Tier) -> list[TierMove]:
    """Every learner's tier for next week, in rank order."""
    moves = []
    for standing in standings(entries, tier=tier):
        if standing.zone is Zone.PROMOTE:
            to_tier = tier.promoted()
        elif standing.zone is Zone.DEMOTE:
            to_tier = tier.demoted()
        else:
            to_tier = tier
        moves.append(
            TierMove(
                user_id=standing.user_id,
                rank=standing.rank,
                zone=standing.zone,
                from_tier=tier,
                to_tier=to_tier,
            )
        )
    return moves
