"""Fixed-window rate limiting: in process memory, or in Redis when several workers share it."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Protocol

import redis.asyncio as aioredis


class RateLimiter(Protocol):
    async def hit(self, key: str, *, limit: int, window_seconds: int) -> int | None:
        """Count one event; return seconds to wait if this event is over the limit."""

    async def peek(self, key: str, *, limit: int, window_seconds: int) -> int | None:
        """Seconds to wait if the limit is already reached, without counting."""

    async def reset(self, key: str, *, window_seconds: int) -> None:
        """Forget the current window's count (after a successful login)."""


def _window(now: float, window_seconds: int) -> tuple[int, int]:
    index = int(now // window_seconds)
    retry_after = max(1, int((index + 1) * window_seconds - now + 0.999))
    return index, retry_after


class MemoryRateLimiter:
    """Per-process counters: right for one worker, and for tests."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._counts: dict[str, tuple[int, int]] = {}
        self._clock = clock
        self._lock = asyncio.Lock()

    async def hit(self, key: str, *, limit: int, window_seconds: int) -> int | None:
        index, retry_after = _window(self._clock(), window_seconds)
        async with self._lock:
            current_index, count = self._counts.get(key, (index, 0))
            count = count + 1 if current_index == index else 1
            self._counts[key] = (index, count)
            if len(self._counts) > 100_000:
                self._prune(index)
        return retry_after if count > limit else None

    async def peek(self, key: str, *, limit: int, window_seconds: int) -> int | None:
        index, retry_after = _window(self._clock(), window_seconds)
        current_index, count = self._counts.get(key, (index, 0))
        return retry_after if current_index == index and count >= limit else None

    async def reset(self, key: str, *, window_seconds: int) -> None:
        self._counts.pop(key, None)

    def _prune(self, index: int) -> None:
        self._counts = {k: v for k, v in self._counts.items() if v[0] == index}


class RedisRateLimiter:
    """Counters shared by every worker and server behind a load balancer."""

    def __init__(self, client: aioredis.Redis, *, prefix: str = "grader:rl:") -> None:
        self._redis = client
        self._prefix = prefix

    def _key(self, key: str, index: int) -> str:
        return f"{self._prefix}{key}:{index}"

    async def hit(self, key: str, *, limit: int, window_seconds: int) -> int | None:
        index, retry_after = _window(time.time(), window_seconds)
        redis_key = self._key(key, index)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.incr(redis_key)
            pipe.expire(redis_key, window_seconds + 1)
            count, _ = await pipe.execute()
        return retry_after if int(count) > limit else None

    async def peek(self, key: str, *, limit: int, window_seconds: int) -> int | None:
        index, retry_after = _window(time.time(), window_seconds)
        count = await self._redis.get(self._key(key, index))
        return retry_after if count is not None and int(count) >= limit else None

    async def reset(self, key: str, *, window_seconds: int) -> None:
        index, _ = _window(time.time(), window_seconds)
        await self._redis.delete(self._key(key, index))
