"""The database access patterns compared in docs/performance.md, side by side in one app.

Each route reads one user row by primary key through the ORM:

* ``/a/users/{id}`` — the textbook way: ``def`` route + ``Depends`` generator session.
* ``/c/users/{id}`` — ``def`` route that opens its own session (one thread-pool hop).
* ``/d/users/{id}`` — ``async def`` route, the whole unit of work in ``run_in_threadpool``.
* ``/g/users/{id}`` — grader's pattern: ``async def`` route, ``await db.read(work)``.
"""

import os
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, FastAPI
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from app.core.database import Database, create_db_engine
from app.models.user import User
from app.schemas.users import UserPublic


def build() -> FastAPI:
    url = os.environ["GRADER_DATABASE_URL"]
    # Pools sized like FastAPI's thread pool, as in the performance anchors.
    engine = create_db_engine(url, pool_size=40, writer=False)
    sessions = sessionmaker(engine, expire_on_commit=False)
    db = Database(url, pool_size=10)
    app = FastAPI()

    def get_session() -> Iterator[Session]:
        with sessions() as session:
            yield session

    def read_user(session: Session, user_id: int) -> UserPublic:
        user = session.get(User, user_id)
        return UserPublic.model_validate(user)

    @app.get("/health")
    async def health() -> JSONResponse:
        return JSONResponse({"status": "ok"})

    @app.get("/a/users/{user_id}")
    def pattern_a(user_id: int, session: Annotated[Session, Depends(get_session)]) -> UserPublic:
        return read_user(session, user_id)

    @app.get("/c/users/{user_id}")
    def pattern_c(user_id: int) -> UserPublic:
        with sessions() as session:
            return read_user(session, user_id)

    @app.get("/d/users/{user_id}")
    async def pattern_d(user_id: int) -> UserPublic:
        def work() -> UserPublic:
            with sessions() as session:
                return read_user(session, user_id)

        return await run_in_threadpool(work)

    @app.get("/g/users/{user_id}")
    async def pattern_g(user_id: int) -> UserPublic:
        return await db.read(lambda session: read_user(session, user_id))

    return app
