"""XP rules: what a finished lesson or practice round is worth, combos, the daily goal.

Pure functions over plain data; the session service records the result as
``XpEvent`` rows via :meth:`XpBreakdown.entries`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import IntEnum, StrEnum

LESSON_XP = 10
"""Base XP for completing a lesson."""
PERFECT_BONUS = 5
"""Extra XP for a lesson finished without a single wrong answer."""
COMBO_STEP = 5
"""Every run of this many consecutive correct answers earns one combo XP..."""
COMBO_BONUS_CAP = 5
"""...up to this many combo XP per session."""
PRACTICE_XP = (10, 5)
"""XP for the first, second, ... practice round of a local day; 0 afterwards."""


class ActivityKind(StrEnum):
    LESSON = "lesson"
    PRACTICE = "practice"


class XpReason(StrEnum):
    """Why XP was awarded: the ``reason`` column of the XP ledger."""

    LESSON = "lesson"
    PERFECT = "perfect"
    COMBO = "combo"
    PRACTICE = "practice"


class DailyGoal(IntEnum):
    """The daily XP goals a learner can choose from."""

    CASUAL = 10
    REGULAR = 20
    SERIOUS = 30
    INTENSE = 50


@dataclass(frozen=True, slots=True)
class XpEntry:
    """One row of the XP ledger."""

    amount: int
    reason: XpReason


@dataclass(frozen=True, slots=True)
class XpBreakdown:
    """The XP a session earns, by part. ``total`` is computed."""

    kind: ActivityKind
    base: int
    perfect_bonus: int = 0
    combo_bonus: int = 0
    total: int = field(init=False)

    def __post_init__(self) -> None:
        if min(self.base, self.perfect_bonus, self.combo_bonus) < 0:
            raise ValueError("XP parts cannot be negative")
        if self.kind is ActivityKind.PRACTICE and (self.perfect_bonus or self.combo_bonus):
            raise ValueError("practice rounds earn no bonuses")
        object.__setattr__(self, "total", self.base + self.perfect_bonus + self.combo_bonus)

    def entries(self) -> list[XpEntry]:
        """Ledger entries for the non-zero parts, base first."""
        base_reason = XpReason.LESSON if self.kind is ActivityKind.LESSON else XpReason.PRACTICE
        parts = (
            (self.base, base_reason),
            (self.perfect_bonus, XpReason.PERFECT),
            (self.combo_bonus, XpReason.COMBO),
        )
        return [XpEntry(amount=amount, reason=reason) for amount, reason in parts if amount]


@dataclass(frozen=True, slots=True)
class ComboState:
    """The run of consecutive correct answers: the current one and the session's best."""

    current: int = 0
    best: int = 0

    def after(self, *, correct: bool) -> ComboState:
        """The state after one more answer."""
        if not correct:
            return ComboState(current=0, best=self.best)
        current = self.current + 1
        return ComboState(current=current, best=max(self.best, current))


def combo_state(results: Iterable[bool]) -> ComboState:
    """Fold a session's answer results (True = correct), in order, into a combo state."""
    state = ComboState()
    for correct in results:
        state = state.after(correct=correct)
    return state


def combo_bonus(results: Iterable[bool]) -> int:
    """+1 XP each time a run of correct answers reaches 5, 10, 15, ...; at most +5.

    A wrong answer resets the run, so the bonus is the sum over runs of
    ``run // 5``, capped at :data:`COMBO_BONUS_CAP`.
    """
    bonus = 0
    run = 0
    for correct in results:
        run = run + 1 if correct else 0
        if run and run % COMBO_STEP == 0:
            bonus += 1
    return min(bonus, COMBO_BONUS_CAP)


def lesson_xp(*, results: Iterable[bool]) -> XpBreakdown:
    """XP for a completed lesson, from its answer results in order (True = correct)."""
    answers = list(results)
    return XpBreakdown(
        kind=ActivityKind.LESSON,
        base=LESSON_XP,
        perfect_bonus=PERFECT_BONUS if all(answers) else 0,
        combo_bonus=combo_bonus(answers),
    )


def practice_xp(*, rounds_completed_today: int) -> XpBreakdown:
    """XP for a practice round, given how many the learner already completed today (local)."""
    if rounds_completed_today < 0:
        raise ValueError("rounds_completed_today cannot be negative")
    base = PRACTICE_XP[rounds_completed_today] if rounds_completed_today < len(PRACTICE_XP) else 0
    return XpBreakdown(kind=ActivityKind.PRACTICE, base=base)


@dataclass(frozen=True, slots=True)
class GoalProgress:
    xp_today: int
    goal: int
    reached: bool
    fraction: float
    """Progress towards the goal in 0.0..1.0 (capped at 1.0)."""


def daily_goal_progress(*, xp_today: int, goal: int) -> GoalProgress:
    """How far the learner is towards their daily goal (10, 20, 30 or 50 XP)."""
    if goal not in set(DailyGoal):
        allowed = ", ".join(str(int(g)) for g in DailyGoal)
        raise ValueError(f"daily goal must be one of {allowed}, got {goal}")
    if xp_today < 0:
        raise ValueError("xp_today cannot be negative")
    return GoalProgress(
        xp_today=xp_today,
        goal=int(goal),
        reached=xp_today >= goal,
        fraction=min(1.0, xp_today / goal),
    )
