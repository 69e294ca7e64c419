"""Login throttling counters, in memory and in Redis."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator

import pytest
import redis.asyncio as aioredis

from app.services.rate_limit import MemoryRateLimiter, RateLimiter, RedisRateLimiter

REDIS_URL = os.environ.get("REDIS_URL", "")
KINDS = ["memory"] + (["redis"] if REDIS_URL else [])


@pytest.fixture(params=KINDS)
async def limiter(request: pytest.FixtureRequest) -> AsyncIterator[RateLimiter]:
    if request.param == "memory":
        yield MemoryRateLimiter()
        return
    client = aioredis.from_url(REDIS_URL)
    # A prefix of its own: tests never see each other's counters.
    yield RedisRateLimiter(client, prefix=f"grader-test:{uuid.uuid4().hex}:")
    await client.aclose()


class TestRateLimiter:
    async def test_events_under_the_limit_pass(self, limiter: RateLimiter) -> None:
        results = [await limiter.hit("k", limit=3, window_seconds=60) for _ in range(3)]
        assert results == [None, None, None]

    async def test_event_over_the_limit_says_how_long_to_wait(self, limiter: RateLimiter) -> None:
        for _ in range(3):
            await limiter.hit("k", limit=3, window_seconds=60)
        retry_after = await limiter.hit("k", limit=3, window_seconds=60)
        assert retry_after is not None
        assert 1 <= retry_after <= 60

    async def test_keys_are_counted_apart(self, limiter: RateLimiter) -> None:
        for _ in range(3):
            await limiter.hit("a", limit=3, window_seconds=60)
        assert await limiter.hit("b", limit=3, window_seconds=60) is None

    async def test_peek_does_not_count(self, limiter: RateLimiter) -> None:
        for _ in range(5):
            assert await limiter.peek("k", limit=1, window_seconds=60) is None
        await limiter.hit("k", limit=1, window_seconds=60)
        assert await limiter.peek("k", limit=1, window_seconds=60) is not None

    async def test_reset_forgets_the_count(self, limiter: RateLimiter) -> None:
        for _ in range(4):
            await limiter.hit("k", limit=3, window_seconds=60)
        await limiter.reset("k", window_seconds=60)
        assert await limiter.hit("k", limit=3, window_seconds=60) is None


class TestMemoryWindow:
    async def test_a_new_window_starts_from_zero(self) -> None:
        now = [1000.0]
        limiter = MemoryRateLimiter(clock=lambda: now[0])
        for _ in range(3):
            await limiter.hit("k", limit=2, window_seconds=10)
        now[0] += 10
        assert await limiter.hit("k", limit=2, window_seconds=10) is None
