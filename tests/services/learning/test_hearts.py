"""Hearts: losing them in lessons, refilling with time and practice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.services.learning.hearts import (
    FULL,
    MAX_HEARTS,
    HeartsState,
    after_answer,
    can_start_lesson,
    current,
    full_at,
    gain_one,
    lose_one,
    next_refill_at,
)
from app.services.learning.scoring import ActivityKind

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


class TestHeartsState:
    def test_starts_full_with_no_refill_clock(self) -> None:
        assert HeartsState() == HeartsState(hearts=5, refill_from=None)

    @pytest.mark.parametrize(("hearts", "refill_from"), [(6, None), (-1, T0), (5, T0), (3, None)])
    def test_rejects_inconsistent_columns(self, hearts: int, refill_from: datetime | None) -> None:
        with pytest.raises(ValueError):  # noqa: PT011 - several messages
            HeartsState(hearts=hearts, refill_from=refill_from)

    def test_rejects_a_naive_refill_clock(self) -> None:
        with pytest.raises(ValueError, match="naive"):
            HeartsState(hearts=3, refill_from=datetime(2026, 3, 2, 9, 0))

    def test_stores_the_refill_clock_in_utc(self) -> None:
        tokyo = timezone(timedelta(hours=9))
        state = HeartsState(hearts=3, refill_from=datetime(2026, 3, 2, 18, 0, tzinfo=tokyo))

        assert state.refill_from == T0
        assert state.refill_from is not None
        assert state.refill_from.tzinfo is UTC


class TestCurrent:
    @pytest.mark.parametrize(
        ("hours", "hearts", "clock_hours"),
        [
            (0, 1, 0),
            (4.99, 1, 0),
            (5, 2, 5),
            (12, 3, 10),  # two refills; the 2 extra hours stay on the clock
            (19.5, 4, 15),
            (20, 5, None),
            (100, 5, None),
        ],
    )
    def test_applies_one_refill_per_five_hours_and_keeps_the_remainder(
        self, hours: float, hearts: int, clock_hours: float | None
    ) -> None:
        state = current(HeartsState(hearts=1, refill_from=T0), now=at(hours))

        assert state.hearts == hearts
        assert state.refill_from == (None if clock_hours is None else at(clock_hours))

    def test_twelve_hours_then_three_more_completes_a_third_refill(self) -> None:
        after_12h = current(HeartsState(hearts=0, refill_from=T0), now=at(12))
        after_15h = current(after_12h, now=at(15))

        assert after_12h == HeartsState(hearts=2, refill_from=at(10))
        assert after_15h == HeartsState(hearts=3, refill_from=at(15))
        assert next_refill_at(after_12h, now=at(12)) == at(15)

    def test_a_clock_behind_the_refill_start_refills_nothing(self) -> None:
        state = HeartsState(hearts=2, refill_from=T0)

        assert current(state, now=at(-3)) == state

    def test_full_hearts_stay_full(self) -> None:
        assert current(FULL, now=at(1000)) == FULL


class TestLoseOne:
    def test_the_first_lost_heart_starts_the_refill_clock(self) -> None:
        assert lose_one(FULL, now=at(1)) == HeartsState(hearts=4, refill_from=at(1))

    def test_losing_more_does_not_restart_a_running_clock(self) -> None:
        state = lose_one(FULL, now=at(0))

        assert lose_one(state, now=at(3)) == HeartsState(hearts=3, refill_from=at(0))

    def test_never_goes_below_zero(self) -> None:
        empty = HeartsState(hearts=0, refill_from=T0)

        assert lose_one(empty, now=at(1)) == empty

    def test_applies_due_refills_first(self) -> None:
        state = HeartsState(hearts=0, refill_from=T0)

        assert lose_one(state, now=at(6)) == HeartsState(hearts=0, refill_from=at(5))


class TestGainOne:
    def test_a_practice_round_returns_a_heart_without_restarting_the_clock(self) -> None:
        state = HeartsState(hearts=2, refill_from=T0)

        assert gain_one(state, now=at(4)) == HeartsState(hearts=3, refill_from=T0)

    def test_reaching_the_maximum_stops_the_clock(self) -> None:
        assert gain_one(HeartsState(hearts=4, refill_from=T0), now=at(1)) == FULL

    def test_never_goes_above_the_maximum(self) -> None:
        assert gain_one(FULL, now=at(1)) == FULL

    def test_counts_with_the_refills_already_due(self) -> None:
        state = HeartsState(hearts=3, refill_from=T0)

        assert gain_one(state, now=at(5)) == FULL


class TestAfterAnswer:
    @pytest.mark.parametrize(
        ("correct", "kind", "hearts"),
        [
            (True, ActivityKind.LESSON, 3),
            (False, ActivityKind.LESSON, 2),
            (True, ActivityKind.PRACTICE, 3),
            (False, ActivityKind.PRACTICE, 3),
        ],
    )
    def test_only_a_wrong_answer_in_a_lesson_costs_a_heart(
        self, correct: bool, kind: ActivityKind, hearts: int
    ) -> None:
        state = HeartsState(hearts=3, refill_from=T0)

        assert after_answer(state, correct=correct, kind=kind, now=at(1)).hearts == hearts


class TestNextRefillAt:
    def test_is_five_hours_after_the_clock_started(self) -> None:
        assert next_refill_at(HeartsState(hearts=2, refill_from=T0), now=at(1)) == at(5)

    def test_is_none_when_full(self) -> None:
        assert next_refill_at(FULL, now=at(1)) is None

    def test_full_at_counts_every_missing_heart(self) -> None:
        state = HeartsState(hearts=1, refill_from=T0)

        assert full_at(state, now=at(7)) == at(20)
        assert full_at(FULL, now=at(7)) is None


class TestCanStartLesson:
    @pytest.mark.parametrize(
        ("state", "hours", "allowed"),
        [
            (FULL, 0, True),
            (HeartsState(hearts=1, refill_from=T0), 0, True),
            (HeartsState(hearts=0, refill_from=T0), 0, False),
            (HeartsState(hearts=0, refill_from=T0), 4.99, False),
            (HeartsState(hearts=0, refill_from=T0), 5, True),
        ],
    )
    def test_needs_at_least_one_heart(
        self, state: HeartsState, hours: float, allowed: bool
    ) -> None:
        assert can_start_lesson(state, now=at(hours)) is allowed


operations = st.lists(
    st.tuples(
        st.sampled_from(["lose", "gain", "wait"]),
        st.floats(min_value=0, max_value=30, allow_nan=False),
    ),
    max_size=60,
)


class TestHeartsProperties:
    @given(operations)
    def test_hearts_always_stay_within_zero_to_five(self, steps: list[tuple[str, float]]) -> None:
        state, now = FULL, T0
        for operation, hours in steps:
            now += timedelta(hours=hours)
            if operation == "lose":
                state = lose_one(state, now=now)
            elif operation == "gain":
                state = gain_one(state, now=now)
            else:
                state = current(state, now=now)
            assert 0 <= state.hearts <= MAX_HEARTS
            assert (state.refill_from is None) == (state.hearts == MAX_HEARTS)
            assert state.refill_from is None or state.refill_from <= now

    @given(
        hearts=st.integers(min_value=0, max_value=4),
        first=st.floats(min_value=0, max_value=40, allow_nan=False),
        second=st.floats(min_value=0, max_value=40, allow_nan=False),
    )
    def test_looking_twice_equals_looking_once(
        self, hearts: int, first: float, second: float
    ) -> None:
        state = HeartsState(hearts=hearts, refill_from=T0)

        assert current(current(state, now=at(first)), now=at(first + second)) == current(
            state, now=at(first + second)
        )
