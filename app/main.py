"""Builds the FastAPI application: routers, error handlers, middleware, the web client."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import redis.asyncio as aioredis
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from app.api import ops
from app.api.v1 import api_router
from app.core.clock import Clock
from app.core.config import PROJECT_ROOT, Settings, get_settings
from app.core.database import Database
from app.core.errors import install_error_handlers
from app.core.middleware import BodySizeLimit
from app.core.security import PasswordHasher, TokenSigner
from app.services.auth import AuthKit
from app.services.leaderboard import RedisScores
from app.services.rate_limit import MemoryRateLimiter, RateLimiter, RedisRateLimiter
from app.services.sessions import ExerciseViews

WEB_ROOT = PROJECT_ROOT / "web"
UPLOAD_PATHS = ("/courses/import",)


def create_app(
    settings: Settings | None = None, *, db: Database | None = None, clock: Clock | None = None
) -> FastAPI:
    settings = settings or get_settings()
    database = db or Database(settings.database_url, pool_size=settings.database_pool_size)
    redis_client = aioredis.from_url(settings.redis_url) if settings.redis_url else None
    limiter: RateLimiter = (
        RedisRateLimiter(redis_client, prefix=f"{settings.redis_key_prefix}rl:")
        if redis_client is not None
        else MemoryRateLimiter()
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        if redis_client is not None:
            await redis_client.aclose()
        if db is None:  # a database handed in belongs to the caller
            await database.aclose()

    app = FastAPI(
        title="grader",
        summary="Learn a language: courses, fair grading, XP, streaks and practice.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.db = database
    app.state.redis = redis_client
    app.state.clock = clock or Clock()
    app.state.exercise_views = ExerciseViews()
    app.state.league_scores = (
        RedisScores(redis_client, prefix=f"{settings.redis_key_prefix}league:")
        if redis_client is not None
        else None
    )
    app.state.auth = AuthKit(
        settings=settings,
        hasher=PasswordHasher(
            memory_kib=settings.password_hash_memory_kib,
            time_cost=settings.password_hash_time_cost,
        ),
        signer=TokenSigner(
            secret_key=settings.secret_key, access_minutes=settings.access_token_minutes
        ),
        limiter=limiter,
        clock=app.state.clock,
    )

    install_error_handlers(app)
    app.add_middleware(
        BodySizeLimit,
        max_bytes=settings.max_body_bytes,
        upload_max_bytes=settings.max_upload_bytes,
        upload_paths=UPLOAD_PATHS,
    )
    app.include_router(ops.router)
    app.include_router(api_router)
    if Path(WEB_ROOT / "index.html").exists():
        app.mount("/", StaticFiles(directory=WEB_ROOT, html=True), name="web")
    return app


def build() -> FastAPI:
    """Factory for ``uvicorn --factory app.main:build``."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    return create_app()
