"""Streaks with freezes: the O(1) transition, today's view, and the rebuild from history."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.services.learning.calendar import local_date
from app.services.learning.streaks import (
    MAX_FREEZES,
    StreakLedger,
    StreakState,
    ledger_from_history,
    rebase_timezone,
    record_activity,
    streak_state,
)

MON = date(2026, 3, 2)


def day(offset: int) -> date:
    return MON + timedelta(days=offset)


def ledger(length: int, last: int | None, freezes: int = 0) -> StreakLedger:
    return StreakLedger(
        length=length, last_active_date=None if last is None else day(last), freezes_held=freezes
    )


def replay(days: list[date], start: StreakLedger | None = None) -> StreakLedger:
    state = start or StreakLedger()
    for active in days:
        state = record_activity(state, day=active).ledger
    return state


class TestStreakLedger:
    @pytest.mark.parametrize(
        ("length", "last", "freezes"),
        [(-1, day(0), 0), (0, day(0), 0), (1, None, 0), (1, day(0), 3), (1, day(0), -1)],
    )
    def test_rejects_inconsistent_columns(
        self, length: int, last: date | None, freezes: int
    ) -> None:
        with pytest.raises(ValueError):  # noqa: PT011 - several messages
            StreakLedger(length=length, last_active_date=last, freezes_held=freezes)


class TestRecordActivity:
    def test_the_first_activity_starts_a_streak_of_one(self) -> None:
        update = record_activity(StreakLedger(), day=day(0))

        assert update.ledger == ledger(1, 0)
        assert update.extended
        assert update.freezes_used == ()
        assert update.lost_length == 0

    def test_activity_on_the_next_day_extends_the_streak(self) -> None:
        update = record_activity(ledger(3, 0), day=day(1))

        assert update.ledger == ledger(4, 1)
        assert update.extended

    def test_a_second_activity_on_the_same_day_changes_nothing(self) -> None:
        state = ledger(3, 0, freezes=1)
        update = record_activity(state, day=day(0))

        assert update.ledger == state
        assert not update.extended

    def test_an_activity_dated_before_the_last_active_day_changes_nothing(self) -> None:
        state = ledger(3, 5)
        update = record_activity(state, day=day(4))

        assert update.ledger == state
        assert not update.extended

    @pytest.mark.parametrize(
        ("freezes", "gap_days", "length", "freezes_left", "used", "lost"),
        [
            (1, 1, 6, 0, (1,), 0),  # one freeze covers one missed day
            (2, 1, 6, 1, (1,), 0),  # and the other is kept
            (2, 2, 6, 0, (1, 2), 0),  # two freezes cover two missed days
            (2, 3, 1, 0, (1, 2), 5),  # three missed days: both used, streak lost anyway
            (1, 2, 1, 0, (1,), 5),
            (0, 1, 1, 0, (), 5),  # no freeze: one missed day ends it
        ],
    )
    def test_freezes_cover_missed_days_in_order_until_they_run_out(
        self,
        freezes: int,
        gap_days: int,
        length: int,
        freezes_left: int,
        used: tuple[int, ...],
        lost: int,
    ) -> None:
        next_day = 0 + gap_days + 1
        update = record_activity(ledger(5, 0, freezes), day=day(next_day))

        assert update.ledger == ledger(length, next_day, freezes_left)
        assert update.freezes_used == tuple(day(offset) for offset in used)
        assert update.lost_length == lost
        assert update.extended

    @pytest.mark.parametrize(
        ("length_before", "freezes_before", "earned", "freezes_after"),
        [
            (6, 0, 1, 1),  # reaching 7
            (13, 1, 1, 2),  # reaching 14
            (20, 0, 1, 1),  # reaching 21
            (6, 2, 0, 2),  # at the cap, nothing more is kept
            (7, 0, 0, 0),  # 8 is no milestone
            (1, 0, 0, 0),
        ],
    )
    def test_a_freeze_is_earned_every_seven_days_up_to_two_held(
        self, length_before: int, freezes_before: int, earned: int, freezes_after: int
    ) -> None:
        update = record_activity(ledger(length_before, 0, freezes_before), day=day(1))

        assert update.ledger.length == length_before + 1
        assert update.freezes_earned == earned
        assert update.ledger.freezes_held == freezes_after

    def test_a_freeze_used_on_the_way_to_a_milestone_is_earned_back(self) -> None:
        update = record_activity(ledger(6, 0, freezes=1), day=day(2))

        assert update.ledger == ledger(7, 2, freezes=1)
        assert update.freezes_used == (day(1),)
        assert update.freezes_earned == 1

    def test_frozen_days_do_not_add_to_the_length(self) -> None:
        state = replay([day(i) for i in range(7)])  # 7 days, 1 freeze earned
        state = record_activity(state, day=day(8)).ledger  # day 7 frozen

        assert state == ledger(8, 8, freezes=0)

    def test_two_weeks_every_day_earn_the_maximum_of_two_freezes(self) -> None:
        state = replay([day(i) for i in range(30)])

        assert state == ledger(30, 29, freezes=MAX_FREEZES)


class TestRecordActivityAcrossTimezones:
    def test_tokyo_activities_at_23_30_and_00_30_make_a_two_day_streak(self) -> None:
        late = datetime(2026, 3, 2, 14, 30, tzinfo=UTC)  # 23:30 in Tokyo
        early = late + timedelta(hours=1)  # 00:30 the next day
        state = StreakLedger()
        for moment in (late, early):
            state = record_activity(state, day=local_date(moment, timezone="Asia/Tokyo")).ledger

        assert state == StreakLedger(length=2, last_active_date=date(2026, 3, 3))

    def test_new_york_spring_forward_and_fall_back_days_each_count_once(self) -> None:
        moments = [
            datetime(2026, 3, 8, 4, 30, tzinfo=UTC),  # 23:30 Sat 7 Mar, EST
            datetime(2026, 3, 8, 6, 59, tzinfo=UTC),  # 01:59 Sun 8 Mar, EST
            datetime(2026, 3, 8, 7, 0, tzinfo=UTC),  # 03:00 Sun 8 Mar, EDT
            datetime(2026, 3, 9, 3, 30, tzinfo=UTC),  # 23:30 Sun 8 Mar, EDT
            datetime(2026, 3, 9, 4, 30, tzinfo=UTC),  # 00:30 Mon 9 Mar
        ]
        state = StreakLedger()
        for moment in moments:
            state = record_activity(
                state, day=local_date(moment, timezone="America/New_York")
            ).ledger

        assert state == StreakLedger(length=3, last_active_date=date(2026, 3, 9))

    def test_fall_back_repeated_hour_stays_on_the_same_day(self) -> None:
        first = datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # 01:30 EDT
        second = datetime(2026, 11, 1, 6, 30, tzinfo=UTC)  # 01:30 EST, an hour later
        state = record_activity(
            StreakLedger(), day=local_date(first, timezone="America/New_York")
        ).ledger
        update = record_activity(state, day=local_date(second, timezone="America/New_York"))

        assert not update.extended
        assert update.ledger.length == 1


class TestRebaseTimezone:
    def test_moving_west_re_dates_the_last_activity_so_tomorrow_still_counts(self) -> None:
        # Active at 10:00 Tuesday in Tokyo = 21:00 Monday in New York.
        at = datetime(2026, 3, 3, 1, 0, tzinfo=UTC)
        state = StreakLedger(length=4, last_active_date=date(2026, 3, 3), freezes_held=1)

        moved = rebase_timezone(state, last_activity_at=at, timezone="America/New_York")
        update = record_activity(moved, day=date(2026, 3, 3))  # Tuesday in New York

        assert moved == StreakLedger(length=4, last_active_date=date(2026, 3, 2), freezes_held=1)
        assert update.ledger.length == 5

    def test_moving_west_does_not_count_the_same_day_twice(self) -> None:
        # Active at 23:00 Tuesday in Tokyo = 10:00 Tuesday in New York.
        at = datetime(2026, 3, 3, 14, 0, tzinfo=UTC)
        state = StreakLedger(length=4, last_active_date=date(2026, 3, 3))

        moved = rebase_timezone(state, last_activity_at=at, timezone="America/New_York")

        assert not record_activity(moved, day=date(2026, 3, 3)).extended

    def test_moving_east_across_the_date_line_does_not_lose_a_day(self) -> None:
        # Active at 23:00 Monday in Honolulu = 23:00 Tuesday in Kiritimati.
        at = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
        state = StreakLedger(length=9, last_active_date=date(2026, 3, 2))

        moved = rebase_timezone(state, last_activity_at=at, timezone="Pacific/Kiritimati")
        update = record_activity(moved, day=date(2026, 3, 4))  # Wednesday in Kiritimati

        assert update.ledger.length == 10
        assert update.lost_length == 0
        assert update.freezes_used == ()

    def test_an_empty_streak_is_left_alone(self) -> None:
        at = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)

        assert rebase_timezone(StreakLedger(), last_activity_at=at, timezone="UTC") == (
            StreakLedger()
        )


class TestStreakState:
    @pytest.mark.parametrize(
        ("state", "today", "expected"),
        [
            (StreakLedger(), 0, StreakState(0, False, False, 0, None)),
            (ledger(4, 0, 1), 0, StreakState(4, True, False, 1, day(0))),
            (ledger(4, 0, 1), 1, StreakState(4, False, True, 1, day(0))),
            (ledger(4, 0, 1), 2, StreakState(4, False, True, 0, day(0))),  # freeze pending
            (ledger(4, 0, 2), 3, StreakState(4, False, True, 0, day(0))),  # both pending
            (ledger(4, 0, 1), 3, StreakState(0, False, False, 0, day(0))),  # lost
            (ledger(4, 0, 0), 2, StreakState(0, False, False, 0, day(0))),
            (ledger(4, 1, 0), 0, StreakState(4, True, False, 0, day(1))),  # moved west
        ],
    )
    def test_shows_length_risk_and_freezes_as_of_today(
        self, state: StreakLedger, today: int, expected: StreakState
    ) -> None:
        assert streak_state(state, today=day(today)) == expected


class TestLedgerFromHistory:
    def test_no_history_is_an_empty_streak(self) -> None:
        assert ledger_from_history(active_dates=[]) == StreakLedger()

    def test_counts_consecutive_days_ending_at_the_last_activity(self) -> None:
        active = [day(0), day(1), day(3), day(4), day(5)]

        assert ledger_from_history(active_dates=active) == ledger(3, 5)

    def test_a_recorded_freeze_bridges_the_missed_day(self) -> None:
        active = [day(i) for i in range(7)] + [day(8)]

        assert ledger_from_history(active_dates=active, freeze_dates=[day(7)]) == ledger(8, 8, 0)

    def test_a_recorded_freeze_the_learner_did_not_hold_does_not_bridge(self) -> None:
        active = [day(0), day(1), day(3)]

        assert ledger_from_history(active_dates=active, freeze_dates=[day(2)]) == ledger(1, 3, 0)

    def test_duplicates_and_order_do_not_matter(self) -> None:
        active = [day(2), day(0), day(1), day(1), day(2)]

        assert ledger_from_history(active_dates=active) == ledger(3, 2)


# A learner's history: activity days in order, as gaps from one active day to
# the next (0 = same day again), sometimes with long breaks.
gaps = st.lists(
    st.one_of(st.integers(min_value=0, max_value=3), st.integers(min_value=0, max_value=10)),
    max_size=80,
)


def days_from_gaps(steps: list[int]) -> list[date]:
    current = MON
    days = [current]
    for step in steps:
        current += timedelta(days=step)
        days.append(current)
    return days


class TestStreakProperties:
    @given(gaps)
    def test_incremental_updates_agree_with_the_rebuild_from_history(
        self, steps: list[int]
    ) -> None:
        state = StreakLedger()
        freeze_dates: list[date] = []
        for active in days_from_gaps(steps):
            update = record_activity(state, day=active)
            freeze_dates.extend(update.freezes_used)
            state = update.ledger

        rebuilt = ledger_from_history(active_dates=days_from_gaps(steps), freeze_dates=freeze_dates)

        assert rebuilt == state

    @given(gaps, st.integers(min_value=0, max_value=5))
    def test_the_state_shown_today_is_consistent(self, steps: list[int], later: int) -> None:
        days = days_from_gaps(steps)
        state = replay(days)
        shown = streak_state(state, today=days[-1] + timedelta(days=later))

        assert 0 <= shown.freezes_held <= MAX_FREEZES
        assert shown.length in (0, state.length)
        assert state.length <= len(set(days))
        assert not (shown.extended_today and shown.at_risk)
        assert shown.at_risk == (shown.length > 0 and later > 0)

    @given(gaps)
    def test_freezes_used_never_exceed_freezes_earned(self, steps: list[int]) -> None:
        state = StreakLedger()
        used = earned = 0
        for active in days_from_gaps(steps):
            update = record_activity(state, day=active)
            used += len(update.freezes_used)
            earned += update.freezes_earned
            state = update.ledger

        assert state.freezes_held == earned - used
