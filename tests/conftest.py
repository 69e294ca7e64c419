"""Fixtures shared by the whole suite.

Every database test runs on SQLite and, when ``DATABASE_URL`` points at
PostgreSQL (as in CI), on PostgreSQL too. Each backend gets a fresh database
migrated with Alembic once per run; tables are emptied after every test.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app.cli import migrate
from app.core.clock import Clock
from app.core.config import Settings
from app.core.database import Database
from app.main import create_app
from app.models import Base

POSTGRES_URL = os.environ.get("DATABASE_URL", "")
BACKENDS = ["sqlite"] + (["postgresql"] if POSTGRES_URL.startswith("postgresql") else [])
REDIS_URL = os.environ.get("REDIS_URL", "")
TEST_SECRET_KEY = "test-secret-key-that-is-long-enough-0123456789"


def pytest_report_header() -> list[str]:
    return [
        f"database backends: {', '.join(BACKENDS)}",
        f"redis: {REDIS_URL or 'not configured (REDIS_URL unset)'}",
    ]


class FrozenClock(Clock):
    """A clock that moves only when a test says so."""

    def __init__(self, start: datetime | None = None) -> None:
        self.current = start or datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)


def _postgres_url_for(name: str) -> str:
    return make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "database_url" in metafunc.fixturenames:
        metafunc.parametrize("database_url", BACKENDS, indirect=True, scope="session")


@pytest.fixture(scope="session")
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'grader-test.db'}"
        migrate(url)
        yield url
        return
    name = f"grader_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(_postgres_url_for("postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = _postgres_url_for(name)
    try:
        migrate(url)
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _empty_tables(db: Database) -> None:
    tables = [table.name for table in reversed(Base.metadata.sorted_tables)]
    with db.engine.begin() as connection:
        if db.is_sqlite:
            for table in tables:
                connection.exec_driver_sql(f'DELETE FROM "{table}"')  # noqa: S608  # model names
            if connection.exec_driver_sql(
                "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'"
            ).first():
                connection.exec_driver_sql("DELETE FROM sqlite_sequence")
        else:
            quoted = ", ".join(f'"{table}"' for table in tables)
            connection.exec_driver_sql(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE")


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url, pool_size=5)
    try:
        yield database
    finally:
        _empty_tables(database)
        database.dispose()


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(datetime.now(UTC).replace(microsecond=0))


def make_settings(database_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "environment": "test",
        "database_url": database_url,
        "redis_url": None,
        "secret_key": TEST_SECRET_KEY,
        "password_hash_memory_kib": 1024,
        "password_hash_time_cost": 1,
        "load_demo_course": False,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture
def settings(database_url: str) -> Settings:
    return make_settings(database_url)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def client(
    settings: Settings, db: Database, clock: FrozenClock
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings, db=db, clock=clock)
    transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http
    await db.aclose_hot_connections()


@pytest.fixture
def project_root() -> Path:
    return Path(__file__).resolve().parents[1]
