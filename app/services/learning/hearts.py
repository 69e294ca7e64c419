"""Hearts: 5 at most; wrong answers in lessons cost one; they come back with time and practice.

The state is two columns: the hearts held and when the refill clock started.
The clock runs only while hearts are below the maximum; each full 5 hours on
it returns one heart and the clock moves on by exactly 5 hours, so partial
progress towards the next heart is never lost. A heart gained by practice does
not restart the clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from app.services.learning.calendar import to_utc
from app.services.learning.scoring import ActivityKind

MAX_HEARTS = 5
REFILL_EVERY = timedelta(hours=5)


@dataclass(frozen=True, slots=True)
class HeartsState:
    hearts: int = MAX_HEARTS
    refill_from: datetime | None = None
    """When the refill clock started; None exactly when hearts are full."""

    def __post_init__(self) -> None:
        if not 0 <= self.hearts <= MAX_HEARTS:
            raise ValueError(f"hearts must be in 0..{MAX_HEARTS}")
        if (self.hearts == MAX_HEARTS) != (self.refill_from is None):
            raise ValueError("the refill clock runs exactly when hearts are below the maximum")
        if self.refill_from is not None:
            object.__setattr__(self, "refill_from", to_utc(self.refill_from))


FULL = HeartsState()


def current(state: HeartsState, *, now: datetime) -> HeartsState:
    """The state at ``now``, with the refills due since the clock started applied."""
    now = to_utc(now)
    if state.refill_from is None:
        return state
    elapsed = max(now - state.refill_from, timedelta(0))  # a clock running behind refills nothing
    refills = elapsed // REFILL_EVERY
    if state.hearts + refills >= MAX_HEARTS:
        return FULL
    return HeartsState(
        hearts=state.hearts + refills,
        refill_from=state.refill_from + refills * REFILL_EVERY,
    )


def lose_one(state: HeartsState, *, now: datetime) -> HeartsState:
    """After a wrong answer in a lesson: one heart fewer, never below 0."""
    state = current(state, now=now)
    if state.hearts == 0:
        return state
    refill_from = state.refill_from if state.refill_from is not None else to_utc(now)
    return HeartsState(hearts=state.hearts - 1, refill_from=refill_from)


def gain_one(state: HeartsState, *, now: datetime) -> HeartsState:
    """After a completed practice round: one heart more, never above the maximum."""
    state = current(state, now=now)
    if state.hearts + 1 >= MAX_HEARTS:
        return FULL
    return HeartsState(hearts=state.hearts + 1, refill_from=state.refill_from)


def after_answer(
    state: HeartsState, *, correct: bool, kind: ActivityKind, now: datetime
) -> HeartsState:
    """Apply one graded answer: only a wrong answer in a lesson costs a heart."""
    if correct or kind is ActivityKind.PRACTICE:
        return current(state, now=now)
    return lose_one(state, now=now)


def next_refill_at(state: HeartsState, *, now: datetime) -> datetime | None:
    """When the next heart comes back by itself; None when hearts are full."""
    state = current(state, now=now)
    return None if state.refill_from is None else state.refill_from + REFILL_EVERY


def full_at(state: HeartsState, *, now: datetime) -> datetime | None:
    """When hearts will be full again without practice; None when they already are."""
    state = current(state, now=now)
    if state.refill_from is None:
        return None
    return state.refill_from + (MAX_HEARTS - state.hearts) * REFILL_EVERY


def can_start_lesson(state: HeartsState, *, now: datetime) -> bool:
    """A lesson needs at least one heart; practice can always be started."""
    return current(state, now=now).hearts > 0
