"""Local days and weeks: the learner's calendar, derived from UTC instants.

Every rule that says "a day" means the learner's *local* day in their IANA
timezone. These helpers are the only place that turns UTC instants into local
dates (and back), so DST and far-off offsets are handled once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def to_utc(moment: datetime) -> datetime:
    """Return ``moment`` as a UTC datetime; raise ValueError if it is naive."""
    if moment.tzinfo is None or moment.tzinfo.utcoffset(moment) is None:
        raise ValueError(f"expected a timezone-aware datetime, got naive {moment.isoformat()}")
    return moment.astimezone(UTC)


def zone(timezone: str) -> ZoneInfo:
    """The ZoneInfo for an IANA name; ValueError (not KeyError) for unknown names."""
    try:
        return ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown timezone {timezone!r}") from exc


def local_date(moment_utc: datetime, *, timezone: str) -> date:
    """The learner's local calendar date at an instant."""
    return to_utc(moment_utc).astimezone(zone(timezone)).date()


def week_start(day: date) -> date:
    """The Monday of the ISO week containing ``day``."""
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True, slots=True)
class UtcSpan:
    """A half-open interval of UTC instants: ``start_at <= t < end_at``."""

    start_at: datetime
    end_at: datetime

    def __contains__(self, moment: object) -> bool:
        if not isinstance(moment, datetime):
            return False
        return self.start_at <= to_utc(moment) < self.end_at

    @property
    def duration(self) -> timedelta:
        return self.end_at - self.start_at


def day_start_utc(day: date, *, timezone: str) -> datetime:
    """The first UTC instant whose local date (in ``timezone``) is ``day``.

    If local midnight does not exist (a DST gap at midnight), the day starts when
    the clocks jump. If the whole date was skipped (Pacific/Apia, 2011-12-30),
    its start equals the next day's start, so its span is empty.
    """
    # fold=0 maps a missing wall time with the offset in force *before* the
    # transition, which lands exactly on (or after) the jump; for a repeated
    # wall time it picks the earlier instant. Both are the day's first instant.
    local_midnight = datetime.combine(day, time(0), tzinfo=zone(timezone))
    return local_midnight.astimezone(UTC)


def day_span_utc(day: date, *, timezone: str) -> UtcSpan:
    """The UTC instants belonging to the local ``day``: for "today's XP" queries."""
    return UtcSpan(
        start_at=day_start_utc(day, timezone=timezone),
        end_at=day_start_utc(day + timedelta(days=1), timezone=timezone),
    )


def week_span_utc(day: date, *, timezone: str) -> UtcSpan:
    """The UTC instants of the local ISO week (Monday to Sunday) containing ``day``."""
    monday = week_start(day)
    return UtcSpan(
        start_at=day_start_utc(monday, timezone=timezone),
        end_at=day_start_utc(monday + timedelta(days=7), timezone=timezone),
    )
