"""Streaks with freezes, over the learner's local dates.

The stored state is a :class:`StreakLedger` (three columns on the user row),
updated in O(1) by :func:`record_activity`. :func:`ledger_from_history` rebuilds
it from the recorded activity and freeze dates by a different walk (day by day),
and the tests check that both agree.

Rules (docs/learning-rules.md):

- A day counts when the learner completes a lesson or a practice round that
  local day. More activity on the same day changes nothing.
- A missed day is covered by one held freeze; frozen days keep the streak alive
  but do not add to its length. Freezes are used up day by day, in order, as
  missed days pass; when a missed day finds no freeze left, the streak is lost
  (so a gap longer than the freezes held uses them all *and* ends the streak).
- One freeze is earned each time the streak length reaches a multiple of 7;
  at most 2 are held (one earned at the cap is not kept).
- An activity dated before the last active date (possible after moving west)
  changes nothing: no day is counted twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from app.services.learning.calendar import local_date

MAX_FREEZES = 2
FREEZE_EVERY = 7
"""A freeze is earned whenever the streak length reaches a multiple of this."""

_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class StreakLedger:
    """What is stored: ``streak_length``, ``streak_last_active_date``, ``streak_freezes``."""

    length: int = 0
    last_active_date: date | None = None
    freezes_held: int = 0

    def __post_init__(self) -> None:
        if self.length < 0:
            raise ValueError("streak length cannot be negative")
        if (self.length == 0) != (self.last_active_date is None):
            raise ValueError("a streak has a last active date exactly when its length is positive")
        if not 0 <= self.freezes_held <= MAX_FREEZES:
            raise ValueError(f"freezes held must be in 0..{MAX_FREEZES}")


@dataclass(frozen=True, slots=True)
class StreakUpdate:
    """The result of recording an activity."""

    ledger: StreakLedger
    extended: bool
    """True when this activity added a day to the streak."""
    freezes_used: tuple[date, ...] = ()
    """The missed days a freeze was used on, in order (to record as freeze uses)."""
    freezes_earned: int = 0
    """Freezes actually added (0 when a milestone is reached at the cap)."""
    lost_length: int = 0
    """Length of the streak that ended before this activity, 0 if none ended."""


@dataclass(frozen=True, slots=True)
class StreakState:
    """What the learner sees today."""

    length: int
    extended_today: bool
    at_risk: bool
    """Alive but not yet extended today: an activity today keeps it going."""
    freezes_held: int
    """After the freezes that missed days since the last activity will use."""
    last_active_date: date | None


def _earned(length: int, held: int) -> int:
    return 1 if length % FREEZE_EVERY == 0 and held < MAX_FREEZES else 0


def record_activity(state: StreakLedger, *, day: date) -> StreakUpdate:
    """Apply a completed lesson or practice round on the learner's local ``day``."""
    last = state.last_active_date
    if last is not None and day <= last:
        return StreakUpdate(ledger=state, extended=False)
    length, held = state.length, state.freezes_held
    used: tuple[date, ...] = ()
    lost = 0
    if last is not None:
        missed = (day - last).days - 1
        used = tuple(last + _DAY * (i + 1) for i in range(min(missed, held)))
        held -= len(used)
        if missed > len(used):
            lost, length = length, 0
    length += 1
    earned = _earned(length, held)
    ledger = StreakLedger(length=length, last_active_date=day, freezes_held=held + earned)
    return StreakUpdate(
        ledger=ledger, extended=True, freezes_used=used, freezes_earned=earned, lost_length=lost
    )


def streak_state(state: StreakLedger, *, today: date) -> StreakState:
    """The streak as of the local date ``today``, counting freezes that missed days will use.

    Nothing is written: freezes pending for missed days are only shown as gone.
    If the last active date is after ``today`` (the learner moved west), today
    counts as done.
    """
    last = state.last_active_date
    if last is None:
        return StreakState(0, False, False, state.freezes_held, None)
    if today <= last:
        return StreakState(state.length, True, False, state.freezes_held, last)
    missed = (today - last).days - 1
    if missed <= state.freezes_held:
        return StreakState(state.length, False, True, state.freezes_held - missed, last)
    return StreakState(0, False, False, 0, last)


def ledger_from_history(
    *, active_dates: Iterable[date], freeze_dates: Iterable[date] = ()
) -> StreakLedger:
    """Rebuild the ledger from every recorded activity date and freeze use.

    Walks the calendar day by day from the first activity: an active day adds
    one (after a milestone check), a frozen day keeps the length and spends a
    freeze, any other day ends the streak. Freeze uses are taken as recorded.
    """
    active = set(active_dates)
    if not active:
        return StreakLedger()
    frozen = set(freeze_dates) - active
    length = held = 0
    day, last = min(active), max(active)
    while day <= last:
        if day in active:
            length += 1
            held += _earned(length, held)
        elif day in frozen and held > 0:
            held -= 1
        else:
            length = 0
        day += _DAY
    return StreakLedger(length=length, last_active_date=last, freezes_held=held)


def rebase_timezone(
    state: StreakLedger, *, last_activity_at: datetime, timezone: str
) -> StreakLedger:
    """Re-date the last activity in a new timezone, when the learner changes it.

    ``last_activity_at`` is the UTC instant of the last counted activity. Moving
    east may turn a local day that never fully happened into a "missed" one;
    moving west may make tomorrow's date count again. Re-dating the last
    activity in the new zone keeps the number of days between activities honest
    either way. The length and the freezes are unchanged.
    """
    if state.last_active_date is None:
        return state
    return replace(state, last_active_date=local_date(last_activity_at, timezone=timezone))
