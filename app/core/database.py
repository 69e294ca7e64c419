"""How every request reaches the database.

A unit of work is a plain synchronous function over a SQLAlchemy ``Session``;
routes ``await db.read(work)`` or ``await db.write(work)`` and the ``Database``
decides where it runs. That placement was chosen by measurement
(docs/performance.md):

* SQLite reads run inline on the event loop. In WAL mode a reader never waits
  for a writer, and skipping the thread hop is the largest single saving.
* SQLite writes run on one dedicated thread, so they are serialised inside the
  process instead of busy-waiting on the file lock (which gave 1 s tails).
* PostgreSQL work runs on a thread pool no larger than the connection pool, so a
  network or lock wait never freezes the event loop and a checkout never waits.

Every write runs in one transaction that commits when the work returns and
rolls back when it raises.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import psycopg
from sqlalchemy import ClauseElement, ColumnElement, Engine, create_engine, event
from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.compiler import SQLCompiler

T = TypeVar("T")

SQLITE_BUSY_TIMEOUT_MS = 5000


def _configure_sqlite(engine: Engine, *, begin_statement: str) -> None:
    # pysqlite's own transaction handling defers BEGIN and never emits
    # BEGIN IMMEDIATE; take control of it as SQLAlchemy's docs recommend.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        _sqlite_pragmas(dbapi_connection)

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Writers take the lock up front: a deferred transaction that later
        # upgrades fails at once with "database is locked" instead of waiting.
        # Sent on the driver directly: SQLAlchemy's execution path costs more than BEGIN.
        connection.connection.dbapi_connection.execute(begin_statement)


def _sqlite_pragmas(dbapi_connection: sqlite3.Connection) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


class HotQuery:
    """A statement on the hottest paths, run below the ORM.

    A Session costs ~150 µs per unit of work and the raw driver ~5 µs (measured in
    docs/performance.md), so the few statements every request makes are compiled
    once per dialect and executed on the driver directly. Parameters and results
    still pass through each column type's own bind and result processors, so
    values are stored and returned exactly as the ORM would store and return them.
    ``columns`` names what a DML statement's RETURNING gives back.
    """

    def __init__(
        self, statement: ClauseElement, *, columns: Sequence[ColumnElement[Any]] | None = None
    ) -> None:
        self.statement = statement
        if columns is None:
            columns = getattr(statement, "selected_columns", ())  # DML without RETURNING: none
        self.columns = list(columns)
        self._compiled: dict[str, _Compiled] = {}

    def compiled_for(self, dialect: Dialect) -> _Compiled:
        cached = self._compiled.get(dialect.name)
        if cached is None:
            compiled = self.statement.compile(dialect=dialect)
            assert isinstance(compiled, SQLCompiler)
            cached = _Compiled(
                sql=compiled.string,
                positions=tuple(compiled.positiontup or ()) if compiled.positional else None,
                bind_processors={
                    name: bind.type.dialect_impl(dialect).bind_processor(dialect)
                    for name, bind in compiled.binds.items()
                },
                result_processors=[
                    column.type.dialect_impl(dialect).result_processor(dialect, None)
                    for column in self.columns
                ],
            )
            self._compiled[dialect.name] = cached
        return cached

    def bind(self, dialect: Dialect, params: dict[str, Any]) -> tuple[str, Any]:
        compiled = self.compiled_for(dialect)
        values = {}
        for name, process in compiled.bind_processors.items():
            value = params[name]
            values[name] = process(value) if process is not None else value
        if compiled.positions is None:
            return compiled.sql, values
        return compiled.sql, tuple(values[name] for name in compiled.positions)

    def convert(self, dialect: Dialect, row: Sequence[Any]) -> tuple[Any, ...]:
        processors = self.compiled_for(dialect).result_processors
        return tuple(
            process(value) if process is not None else value
            for process, value in zip(processors, row, strict=True)
        )


@dataclass(frozen=True, slots=True)
class _Compiled:
    sql: str
    positions: tuple[str, ...] | None
    bind_processors: dict[str, Any]
    result_processors: list[Any]


@dataclass(frozen=True, slots=True)
class HotResult:
    rows: list[tuple[Any, ...]]
    rowcount: int

    def one_or_none(self) -> tuple[Any, ...] | None:
        return self.rows[0] if self.rows else None


_HOT_CONNECTION = "grader.hot_connection"


def run_hot(session: Session, query: HotQuery, **params: Any) -> HotResult:
    """Execute a :class:`HotQuery` inside the session's own transaction."""
    # The driver connection is looked up once per transaction: session.connection()
    # costs more than the statements themselves.
    found = session.info.get(_HOT_CONNECTION)
    if found is None:
        connection = session.connection()
        found = (connection.dialect, connection.connection.driver_connection)
        session.info[_HOT_CONNECTION] = found
    dialect, driver_connection = found
    sql, bound = query.bind(dialect, params)
    cursor = driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(sql, bound)
        rows = cursor.fetchall() if cursor.description else []
        return HotResult(
            rows=[query.convert(dialect, row) for row in rows], rowcount=cursor.rowcount
        )
    finally:
        cursor.close()


def create_db_engine(url: str, *, pool_size: int, writer: bool = True) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False},
            pool_size=pool_size,
            max_overflow=0,
            pool_pre_ping=False,
        )
        _configure_sqlite(engine, begin_statement="BEGIN IMMEDIATE" if writer else "BEGIN")
        return engine
    return create_engine(
        url,
        pool_size=pool_size,
        max_overflow=0,
        pool_pre_ping=True,
        pool_recycle=1800,
    )


class Database:
    """Engines, sessions and the executors that decide where work runs."""

    def __init__(self, url: str, *, pool_size: int = 10, hot_connections: int = 4) -> None:
        self.url = url
        self.is_sqlite = make_url(url).get_backend_name() == "sqlite"
        self.engine = create_db_engine(url, pool_size=pool_size, writer=True)
        if self.is_sqlite:
            # The event loop is the only reader thread; one writer thread.
            self.read_engine = create_db_engine(url, pool_size=2, writer=False)
            self._read_executor: ThreadPoolExecutor | None = None
            self._write_executor = ThreadPoolExecutor(1, thread_name_prefix="grader-sqlite-writer")
        else:
            self.read_engine = self.engine
            # Never more threads than connections, so no thread waits for the pool.
            self._write_executor = ThreadPoolExecutor(pool_size, thread_name_prefix="grader-db")
            self._read_executor = self._write_executor
        self._sqlite_loop_connection: sqlite3.Connection | None = None
        # PostgreSQL hot reads use a few async connections owned by the event loop:
        # measured at twice the throughput of a thread-pool hop (docs/performance.md).
        self._hot_connection_count = hot_connections
        self._hot_queue: asyncio.Queue[psycopg.AsyncConnection[Any]] | None = None
        self._hot_lock: asyncio.Lock | None = None
        self._write_sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._read_sessions = sessionmaker(self.read_engine, expire_on_commit=False)

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    async def read(self, work: Callable[[Session], T]) -> T:
        """Run read-only work and return its result; nothing it does is committed."""
        if self._read_executor is None:
            return self._run_read(work)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._read_executor, self._run_read, work)

    async def write(self, work: Callable[[Session], T]) -> T:
        """Run work in one transaction: commit on return, roll back on error."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._write_executor, self.run_write, work)

    async def fetch_one(self, query: HotQuery, **params: Any) -> tuple[Any, ...] | None:
        """Run a :class:`HotQuery` and return its first row, converted, or None."""
        dialect = self.read_engine.dialect
        sql, bound = query.bind(dialect, params)
        if self._read_executor is None:
            row = self._loop_connection().execute(sql, bound).fetchone()
        else:
            row = await self._fetch_async(sql, bound)
        return None if row is None else query.convert(dialect, row)

    async def _fetch_async(self, sql: str, params: Any) -> Any:
        connections = await self._hot_connections()
        connection = await connections.get()
        try:
            if connection.closed:
                connection = await self._connect_async()
            cursor = await connection.execute(sql, params)
            return await cursor.fetchone()
        except BaseException:
            # A connection in an unknown state is closed; the next use reconnects.
            await connection.close()
            raise
        finally:
            # Always returned, even closed, so the queue never shrinks.
            connections.put_nowait(connection)

    async def _connect_async(self) -> psycopg.AsyncConnection[Any]:
        url = make_url(self.url).set(drivername="postgresql")
        # Autocommit: a single SELECT needs no transaction around it.
        return await psycopg.AsyncConnection.connect(
            url.render_as_string(hide_password=False), autocommit=True
        )

    async def _hot_connections(self) -> asyncio.Queue[psycopg.AsyncConnection[Any]]:
        if self._hot_queue is None:
            # Created lazily: a lock belongs to the loop that first uses it.
            self._hot_lock = self._hot_lock or asyncio.Lock()
            async with self._hot_lock:
                if self._hot_queue is None:
                    queue: asyncio.Queue[psycopg.AsyncConnection[Any]] = asyncio.Queue()
                    for _ in range(self._hot_connection_count):
                        queue.put_nowait(await self._connect_async())
                    self._hot_queue = queue
        return self._hot_queue

    def _loop_connection(self) -> sqlite3.Connection:
        # One raw connection for hot reads, used only from the event loop's thread.
        if self._sqlite_loop_connection is None:
            database = make_url(self.url).database or ":memory:"
            connection = sqlite3.connect(database, isolation_level=None, check_same_thread=False)
            _sqlite_pragmas(connection)
            connection.execute("PRAGMA query_only=ON")
            self._sqlite_loop_connection = connection
        return self._sqlite_loop_connection

    def _run_read(self, work: Callable[[Session], T]) -> T:
        with self._read_sessions() as session:
            return work(session)

    def run_write(self, work: Callable[[Session], T]) -> T:
        """Synchronous form of :meth:`write`, for the CLI and scripts."""
        with self._write_sessions() as session, session.begin():
            return work(session)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A plain session for the CLI and tests; the caller commits."""
        with self._write_sessions() as session:
            yield session

    async def aclose_hot_connections(self) -> None:
        """Close the event loop's own connections (they belong to that loop)."""
        if self._hot_queue is not None:
            while not self._hot_queue.empty():
                await self._hot_queue.get_nowait().close()
            self._hot_queue = None
        if self._sqlite_loop_connection is not None:
            self._sqlite_loop_connection.close()
            self._sqlite_loop_connection = None

    async def aclose(self) -> None:
        await self.aclose_hot_connections()
        self.dispose()

    def dispose(self) -> None:
        self._write_executor.shutdown(wait=True)
        if self._sqlite_loop_connection is not None:
            self._sqlite_loop_connection.close()
            self._sqlite_loop_connection = None
        self.engine.dispose()
        if self.read_engine is not self.engine:
            self.read_engine.dispose()
