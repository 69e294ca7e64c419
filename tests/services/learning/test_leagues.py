"""Weekly leagues: filling, ranking, zones and the moves at the week's end."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.services.learning.leagues import (
    LEAGUE_SIZE,
    LeagueEntry,
    Tier,
    Zone,
    assign_league,
    assign_leagues,
    close_week,
    standings,
    zone_sizes,
)

MONDAY = datetime(2026, 3, 2, tzinfo=UTC)


def entry(user_id: int, xp: int, minutes: int = 0) -> LeagueEntry:
    return LeagueEntry(user_id=user_id, xp=xp, reached_at=MONDAY + timedelta(minutes=minutes))


def full_league(size: int = LEAGUE_SIZE) -> list[LeagueEntry]:
    """User 1 has the most XP, user ``size`` the least."""
    return [entry(user_id, xp=1000 - user_id) for user_id in range(1, size + 1)]


def zones(table: list[LeagueEntry], tier: Tier) -> dict[Zone, list[int]]:
    result: dict[Zone, list[int]] = {zone: [] for zone in Zone}
    for standing in standings(table, tier=tier):
        result[standing.zone].append(standing.user_id)
    return result


class TestTier:
    def test_there_are_ten_tiers_from_bronze_to_diamond(self) -> None:
        assert len(Tier) == 10
        assert Tier.BRONZE.level == 0
        assert Tier.DIAMOND.level == 9

    @pytest.mark.parametrize(
        ("tier", "up", "down"),
        [
            (Tier.BRONZE, Tier.SILVER, Tier.BRONZE),
            (Tier.RUBY, Tier.EMERALD, Tier.SAPPHIRE),
            (Tier.DIAMOND, Tier.DIAMOND, Tier.OBSIDIAN),
        ],
    )
    def test_moves_one_step_and_stops_at_the_ends(self, tier: Tier, up: Tier, down: Tier) -> None:
        assert tier.promoted() is up
        assert tier.demoted() is down


class TestAssignLeagues:
    def test_sixty_one_learners_fill_three_leagues_of_30_30_and_1(self) -> None:
        leagues = assign_leagues(range(1, 62))

        assert [len(league) for league in leagues] == [30, 30, 1]
        assert leagues[0] == list(range(1, 31))
        assert leagues[2] == [61]

    def test_no_learners_make_no_leagues(self) -> None:
        assert assign_leagues([]) == []

    def test_rejects_a_learner_joining_twice(self) -> None:
        with pytest.raises(ValueError, match="twice"):
            assign_leagues([1, 2, 1])

    @pytest.mark.parametrize(
        ("sizes", "index"), [([], 0), ([29], 0), ([30], 1), ([30, 30, 12], 2), ([30, 30], 2)]
    )
    def test_a_joiner_goes_into_the_open_league_or_a_new_one(
        self, sizes: list[int], index: int
    ) -> None:
        assert assign_league(sizes) == index

    @given(st.integers(min_value=0, max_value=200))
    def test_every_league_but_the_last_is_full(self, count: int) -> None:
        leagues = assign_leagues(range(count))

        assert sum(len(league) for league in leagues) == count
        assert all(len(league) == LEAGUE_SIZE for league in leagues[:-1])
        assert all(1 <= len(league) <= LEAGUE_SIZE for league in leagues)


class TestZoneSizes:
    @pytest.mark.parametrize(
        ("size", "promote", "demote"),
        [
            (30, 7, 5),
            (29, 7, 4),
            (15, 4, 2),
            (10, 3, 1),
            (6, 2, 1),
            (5, 2, 0),
            (1, 1, 0),
            (0, 0, 0),
        ],
    )
    def test_scales_seven_up_and_five_down_to_the_league_size(
        self, size: int, promote: int, demote: int
    ) -> None:
        assert zone_sizes(size) == (promote, demote)

    @pytest.mark.parametrize("size", [-1, 31])
    def test_rejects_sizes_outside_a_league(self, size: int) -> None:
        with pytest.raises(ValueError, match="league holds"):
            zone_sizes(size)


class TestStandings:
    def test_ranks_by_xp_then_who_reached_it_first_then_user_id(self) -> None:
        table = [
            entry(5, xp=40, minutes=10),
            entry(3, xp=40, minutes=5),
            entry(9, xp=90, minutes=50),
            entry(2, xp=40, minutes=10),
            LeagueEntry(user_id=1, xp=0),
        ]

        ranked = standings(table, tier=Tier.GOLD)

        assert [(s.user_id, s.rank, s.xp) for s in ranked] == [
            (9, 1, 90),
            (3, 2, 40),
            (2, 3, 40),
            (5, 4, 40),
            (1, 5, 0),
        ]

    def test_a_full_league_promotes_seven_and_demotes_five(self) -> None:
        result = zones(full_league(), Tier.GOLD)

        assert result[Zone.PROMOTE] == list(range(1, 8))
        assert result[Zone.STAY] == list(range(8, 26))
        assert result[Zone.DEMOTE] == list(range(26, 31))

    def test_a_small_league_has_scaled_zones(self) -> None:
        result = zones(full_league(10), Tier.GOLD)

        assert result[Zone.PROMOTE] == [1, 2, 3]
        assert result[Zone.DEMOTE] == [10]

    def test_a_lone_learner_with_xp_is_promoted(self) -> None:
        assert zones(full_league(1), Tier.GOLD)[Zone.PROMOTE] == [1]

    def test_nobody_is_demoted_from_the_lowest_tier(self) -> None:
        result = zones(full_league(), Tier.BRONZE)

        assert result[Zone.DEMOTE] == []
        assert result[Zone.PROMOTE] == list(range(1, 8))

    def test_nobody_is_promoted_from_the_highest_tier(self) -> None:
        result = zones(full_league(), Tier.DIAMOND)

        assert result[Zone.PROMOTE] == []
        assert result[Zone.DEMOTE] == list(range(26, 31))

    def test_learners_without_xp_are_never_promoted_and_demoted_above_bronze(self) -> None:
        table = [entry(1, xp=50), LeagueEntry(user_id=2, xp=0), LeagueEntry(user_id=3, xp=0)]

        assert zones(table, Tier.SILVER) == {
            Zone.PROMOTE: [1],
            Zone.STAY: [],
            Zone.DEMOTE: [2, 3],
        }
        assert zones(table, Tier.BRONZE)[Zone.STAY] == [2, 3]

    def test_rejects_a_learner_listed_twice(self) -> None:
        with pytest.raises(ValueError, match="twice"):
            standings([entry(1, 10), entry(1, 20)], tier=Tier.GOLD)

    def test_rejects_negative_xp(self) -> None:
        with pytest.raises(ValueError, match="negative"):
            entry(1, xp=-1)

    def test_rejects_more_than_thirty_learners(self) -> None:
        with pytest.raises(ValueError, match="league holds"):
            standings(full_league(31), tier=Tier.GOLD)

    @given(
        st.lists(
            st.tuples(st.integers(min_value=0, max_value=60), st.integers(0, 100)),
            max_size=LEAGUE_SIZE,
        ),
        st.randoms(use_true_random=False),
    )
    def test_the_input_order_never_changes_the_table(
        self, rows: list[tuple[int, int]], shuffler: random.Random
    ) -> None:
        table = [entry(user_id, xp, minutes) for user_id, (xp, minutes) in enumerate(rows)]
        shuffled = table[:]
        shuffler.shuffle(shuffled)

        ranked = standings(table, tier=Tier.RUBY)

        assert standings(shuffled, tier=Tier.RUBY) == ranked
        assert [s.rank for s in ranked] == list(range(1, len(table) + 1))
        assert [s.xp for s in ranked] == sorted((s.xp for s in ranked), reverse=True)


class TestCloseWeek:
    def test_moves_every_learner_of_a_full_league(self) -> None:
        moves = close_week(full_league(), tier=Tier.SAPPHIRE)

        assert len(moves) == 30
        assert {m.user_id for m in moves if m.to_tier is Tier.RUBY} == set(range(1, 8))
        assert {m.user_id for m in moves if m.to_tier is Tier.SAPPHIRE} == set(range(8, 26))
        assert {m.user_id for m in moves if m.to_tier is Tier.GOLD} == set(range(26, 31))
        assert all(m.from_tier is Tier.SAPPHIRE for m in moves)

    def test_the_top_tier_keeps_its_leaders_and_the_bottom_tier_its_last(self) -> None:
        top = close_week(full_league(), tier=Tier.DIAMOND)
        bottom = close_week(full_league(), tier=Tier.BRONZE)

        assert top[0].to_tier is Tier.DIAMOND
        assert top[-1].to_tier is Tier.OBSIDIAN
        assert bottom[0].to_tier is Tier.SILVER
        assert bottom[-1].to_tier is Tier.BRONZE
