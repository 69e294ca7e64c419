"""XP rules: lessons, bonuses, combos, practice rounds and the daily goal."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.services.learning.scoring import (
    COMBO_BONUS_CAP,
    ActivityKind,
    ComboState,
    DailyGoal,
    XpBreakdown,
    XpEntry,
    XpReason,
    combo_bonus,
    combo_state,
    daily_goal_progress,
    lesson_xp,
    practice_xp,
)

OK, WRONG = True, False


def answers(pattern: str) -> list[bool]:
    """'+' is a correct answer, '-' a wrong one."""
    return [char == "+" for char in pattern]


class TestComboState:
    @pytest.mark.parametrize(
        ("pattern", "current", "best"),
        [
            ("", 0, 0),
            ("+", 1, 1),
            ("-", 0, 0),
            ("+++-++", 2, 3),
            ("++-+++++", 5, 5),
            ("+++++-", 0, 5),
            ("-+-+-+", 1, 1),
        ],
    )
    def test_tracks_the_current_and_the_best_run(
        self, pattern: str, current: int, best: int
    ) -> None:
        assert combo_state(answers(pattern)) == ComboState(current=current, best=best)

    def test_after_a_wrong_answer_the_current_run_restarts_and_the_best_stays(self) -> None:
        state = ComboState(current=4, best=6)

        assert state.after(correct=WRONG) == ComboState(current=0, best=6)
        assert state.after(correct=OK) == ComboState(current=5, best=6)


class TestComboBonus:
    @pytest.mark.parametrize(
        ("pattern", "bonus"),
        [
            ("", 0),
            ("++++", 0),
            ("+++++", 1),
            ("+++++++++", 1),
            ("++++++++++", 2),
            ("++++-++++", 0),  # two runs of 4 earn nothing
            ("+++++-+++++", 2),  # two runs of 5
            ("+" * 25, 5),
            ("+" * 40, COMBO_BONUS_CAP),  # capped
            ("+++++-" * 8, COMBO_BONUS_CAP),
        ],
    )
    def test_earns_one_xp_per_five_consecutive_correct_answers_up_to_five(
        self, pattern: str, bonus: int
    ) -> None:
        assert combo_bonus(answers(pattern)) == bonus


class TestLessonXp:
    @pytest.mark.parametrize(
        ("pattern", "perfect", "combo", "total"),
        [
            ("+++", 5, 0, 15),
            ("++-", 0, 0, 10),
            ("+" * 12, 5, 2, 17),
            ("+++++-+++++", 0, 2, 12),
            ("-" * 10, 0, 0, 10),
            ("+" * 30, 5, 5, 20),
        ],
    )
    def test_awards_ten_plus_perfect_and_combo_bonuses(
        self, pattern: str, perfect: int, combo: int, total: int
    ) -> None:
        xp = lesson_xp(results=answers(pattern))

        assert (xp.kind, xp.base, xp.perfect_bonus, xp.combo_bonus, xp.total) == (
            ActivityKind.LESSON,
            10,
            perfect,
            combo,
            total,
        )

    def test_turns_into_one_ledger_entry_per_non_zero_part(self) -> None:
        xp = lesson_xp(results=answers("+" * 10))

        assert xp.entries() == [
            XpEntry(amount=10, reason=XpReason.LESSON),
            XpEntry(amount=5, reason=XpReason.PERFECT),
            XpEntry(amount=2, reason=XpReason.COMBO),
        ]

    def test_a_lesson_with_mistakes_and_no_combo_is_a_single_entry(self) -> None:
        assert lesson_xp(results=answers("+-+")).entries() == [
            XpEntry(amount=10, reason=XpReason.LESSON)
        ]

    @given(st.lists(st.booleans(), max_size=200))
    def test_totals_are_never_negative_and_never_above_twenty(self, results: list[bool]) -> None:
        xp = lesson_xp(results=results)

        assert 10 <= xp.total <= 20
        assert xp.total == sum(entry.amount for entry in xp.entries())
        assert all(entry.amount > 0 for entry in xp.entries())


class TestPracticeXp:
    @pytest.mark.parametrize(
        ("rounds_completed_today", "xp"), [(0, 10), (1, 5), (2, 0), (3, 0), (50, 0)]
    )
    def test_pays_ten_then_five_then_nothing_on_the_same_day(
        self, rounds_completed_today: int, xp: int
    ) -> None:
        breakdown = practice_xp(rounds_completed_today=rounds_completed_today)

        assert breakdown.total == breakdown.base == xp
        assert breakdown.kind is ActivityKind.PRACTICE

    def test_ledger_entries_use_the_practice_reason(self) -> None:
        assert practice_xp(rounds_completed_today=1).entries() == [
            XpEntry(amount=5, reason=XpReason.PRACTICE)
        ]

    def test_a_round_worth_nothing_writes_no_ledger_entry(self) -> None:
        assert practice_xp(rounds_completed_today=2).entries() == []

    def test_rejects_a_negative_round_count(self) -> None:
        with pytest.raises(ValueError, match="negative"):
            practice_xp(rounds_completed_today=-1)


class TestXpBreakdown:
    def test_computes_the_total(self) -> None:
        xp = XpBreakdown(kind=ActivityKind.LESSON, base=10, perfect_bonus=5, combo_bonus=3)

        assert xp.total == 18

    def test_rejects_negative_parts(self) -> None:
        with pytest.raises(ValueError, match="negative"):
            XpBreakdown(kind=ActivityKind.LESSON, base=10, combo_bonus=-1)

    def test_rejects_bonuses_on_practice(self) -> None:
        with pytest.raises(ValueError, match="no bonuses"):
            XpBreakdown(kind=ActivityKind.PRACTICE, base=10, perfect_bonus=5)

    @given(
        kind=st.sampled_from(ActivityKind),
        base=st.integers(min_value=-5, max_value=50),
        perfect=st.integers(min_value=-5, max_value=5),
        combo=st.integers(min_value=-5, max_value=5),
    )
    def test_a_breakdown_that_exists_has_a_non_negative_total(
        self, kind: ActivityKind, base: int, perfect: int, combo: int
    ) -> None:
        try:
            xp = XpBreakdown(kind=kind, base=base, perfect_bonus=perfect, combo_bonus=combo)
        except ValueError:
            return
        assert xp.total >= 0
        assert xp.total == base + perfect + combo


class TestDailyGoalProgress:
    @pytest.mark.parametrize(
        ("xp_today", "goal", "reached", "fraction"),
        [
            (0, 10, False, 0.0),
            (5, 10, False, 0.5),
            (10, 10, True, 1.0),
            (15, 10, True, 1.0),
            (15, 20, False, 0.75),
            (29, 30, False, 29 / 30),
            (50, 50, True, 1.0),
        ],
    )
    def test_reports_progress_towards_the_goal(
        self, xp_today: int, goal: int, reached: bool, fraction: float
    ) -> None:
        progress = daily_goal_progress(xp_today=xp_today, goal=goal)

        assert progress.xp_today == xp_today
        assert progress.goal == goal
        assert progress.reached is reached
        assert progress.fraction == pytest.approx(fraction)

    def test_accepts_the_goal_enum(self) -> None:
        assert daily_goal_progress(xp_today=20, goal=DailyGoal.REGULAR).reached

    @pytest.mark.parametrize("goal", [0, 15, 25, 100, -10])
    def test_rejects_goals_other_than_10_20_30_50(self, goal: int) -> None:
        with pytest.raises(ValueError, match="10, 20, 30, 50"):
            daily_goal_progress(xp_today=0, goal=goal)

    def test_rejects_negative_xp(self) -> None:
        with pytest.raises(ValueError, match="negative"):
            daily_goal_progress(xp_today=-1, goal=10)
