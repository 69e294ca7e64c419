"""Local days and weeks across timezones and DST."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.services.learning.calendar import (
    day_span_utc,
    day_start_utc,
    local_date,
    to_utc,
    week_span_utc,
    week_start,
)

ZONES = (
    "UTC",
    "America/New_York",
    "Europe/Berlin",
    "Asia/Tokyo",
    "Asia/Kolkata",
    "Australia/Lord_Howe",
    "America/Santiago",
    "Pacific/Kiritimati",
    "Pacific/Pago_Pago",
    "Pacific/Chatham",
)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


class TestLocalDate:
    @pytest.mark.parametrize(
        ("moment", "timezone", "expected"),
        [
            (utc(2026, 3, 2, 12, 0), "UTC", date(2026, 3, 2)),
            (utc(2026, 3, 2, 3, 0), "America/New_York", date(2026, 3, 1)),
            (utc(2026, 3, 2, 15, 0), "Asia/Tokyo", date(2026, 3, 3)),
            (utc(2026, 3, 2, 14, 59), "Asia/Tokyo", date(2026, 3, 2)),
            # Spring forward (2026-03-08): 02:00 EST jumps to 03:00 EDT at 07:00 UTC.
            (utc(2026, 3, 8, 4, 59), "America/New_York", date(2026, 3, 7)),
            (utc(2026, 3, 8, 5, 0), "America/New_York", date(2026, 3, 8)),
            (utc(2026, 3, 9, 3, 59), "America/New_York", date(2026, 3, 8)),
            (utc(2026, 3, 9, 4, 0), "America/New_York", date(2026, 3, 9)),
            # Fall back (2026-11-01): 02:00 EDT returns to 01:00 EST at 06:00 UTC.
            (utc(2026, 11, 1, 3, 59), "America/New_York", date(2026, 10, 31)),
            (utc(2026, 11, 1, 4, 0), "America/New_York", date(2026, 11, 1)),
            (utc(2026, 11, 2, 4, 59), "America/New_York", date(2026, 11, 1)),
            (utc(2026, 11, 2, 5, 0), "America/New_York", date(2026, 11, 2)),
        ],
    )
    def test_maps_the_instant_to_the_learners_calendar_date(
        self, moment: datetime, timezone: str, expected: date
    ) -> None:
        assert local_date(moment, timezone=timezone) == expected

    def test_the_same_instant_is_two_days_apart_in_kiritimati_and_pago_pago(self) -> None:
        moment = utc(2026, 3, 2, 10, 30)

        assert local_date(moment, timezone="Pacific/Kiritimati") == date(2026, 3, 3)
        assert local_date(moment, timezone="Pacific/Pago_Pago") == date(2026, 3, 1)

    def test_activities_at_23_30_and_00_30_in_tokyo_fall_on_two_days(self) -> None:
        late = datetime(2026, 3, 2, 23, 30, tzinfo=timezone(timedelta(hours=9)))
        early = late + timedelta(hours=1)

        assert local_date(late, timezone="Asia/Tokyo") == date(2026, 3, 2)
        assert local_date(early, timezone="Asia/Tokyo") == date(2026, 3, 3)

    def test_accepts_aware_datetimes_in_any_offset(self) -> None:
        moment = datetime(2026, 3, 2, 1, 0, tzinfo=timezone(timedelta(hours=-5)))

        assert local_date(moment, timezone="UTC") == date(2026, 3, 2)
        assert local_date(moment, timezone="America/New_York") == date(2026, 3, 2)

    def test_rejects_naive_datetimes(self) -> None:
        with pytest.raises(ValueError, match="naive"):
            local_date(datetime(2026, 3, 2, 12, 0), timezone="UTC")

    def test_rejects_unknown_timezones_with_value_error(self) -> None:
        with pytest.raises(ValueError, match="unknown timezone"):
            local_date(utc(2026, 3, 2), timezone="Mars/Olympus_Mons")


class TestToUtc:
    def test_converts_an_offset_datetime_to_utc(self) -> None:
        moment = datetime(2026, 3, 2, 9, 0, tzinfo=timezone(timedelta(hours=9)))

        assert to_utc(moment) == utc(2026, 3, 2, 0, 0)
        assert to_utc(moment).tzinfo is UTC


class TestWeekStart:
    @pytest.mark.parametrize(
        ("day", "monday"),
        [
            (date(2026, 3, 2), date(2026, 3, 2)),  # a Monday
            (date(2026, 3, 8), date(2026, 3, 2)),  # the Sunday after
            (date(2026, 1, 1), date(2025, 12, 29)),  # across a year boundary
            (date(2024, 3, 1), date(2024, 2, 26)),  # across a leap day
        ],
    )
    def test_returns_the_monday_of_the_iso_week(self, day: date, monday: date) -> None:
        assert week_start(day) == monday

    @given(st.dates())
    def test_is_a_monday_at_most_six_days_earlier(self, day: date) -> None:
        try:
            monday = week_start(day)
        except OverflowError:  # the first days of year 1 have no Monday before them
            return
        assert monday.weekday() == 0
        assert 0 <= (day - monday).days <= 6
        assert monday.isocalendar()[:2] == day.isocalendar()[:2]


class TestDaySpanUtc:
    @pytest.mark.parametrize(
        ("day", "timezone", "start", "hours"),
        [
            (date(2026, 3, 2), "UTC", utc(2026, 3, 2), 24),
            (date(2026, 3, 2), "Asia/Tokyo", utc(2026, 3, 1, 15), 24),
            (date(2026, 3, 8), "America/New_York", utc(2026, 3, 8, 5), 23),
            (date(2026, 11, 1), "America/New_York", utc(2026, 11, 1, 4), 25),
            # Midnight does not exist in Santiago on 2024-09-08: the day starts at the jump.
            (date(2024, 9, 8), "America/Santiago", utc(2024, 9, 8, 4), 23),
            (date(2024, 4, 6), "America/Santiago", utc(2024, 4, 6, 3), 25),
            # Samoa skipped 2011-12-30 entirely.
            (date(2011, 12, 30), "Pacific/Apia", utc(2011, 12, 30, 10), 0),
        ],
    )
    def test_spans_the_local_day_in_utc(
        self, day: date, timezone: str, start: datetime, hours: int
    ) -> None:
        span = day_span_utc(day, timezone=timezone)

        assert span.start_at == start
        assert span.duration == timedelta(hours=hours)
        assert span.start_at.tzinfo is UTC

    def test_contains_exactly_the_instants_of_that_local_day(self) -> None:
        span = day_span_utc(date(2026, 3, 8), timezone="America/New_York")

        assert span.start_at in span
        assert span.end_at not in span
        assert span.start_at - timedelta(microseconds=1) not in span
        assert "2026-03-08" not in span

    @given(
        moment=st.datetimes(
            min_value=datetime(1990, 1, 1), max_value=datetime(2060, 1, 1), timezones=st.just(UTC)
        ),
        timezone=st.sampled_from(ZONES),
    )
    def test_every_instant_lies_in_the_span_of_its_local_date(
        self, moment: datetime, timezone: str
    ) -> None:
        day = local_date(moment, timezone=timezone)
        span = day_span_utc(day, timezone=timezone)

        assert moment in span
        assert local_date(span.start_at, timezone=timezone) == day
        assert span.end_at == day_start_utc(day + timedelta(days=1), timezone=timezone)


class TestWeekSpanUtc:
    def test_covers_monday_to_sunday_in_local_time(self) -> None:
        span = week_span_utc(date(2026, 3, 5), timezone="America/New_York")

        assert span.start_at == utc(2026, 3, 2, 5)
        assert span.end_at == utc(2026, 3, 9, 4)  # the week lost an hour to DST
