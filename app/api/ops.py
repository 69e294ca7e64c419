"""Liveness and readiness for load balancers and orchestrators."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.orm import Session

from app.deps import Db

router = APIRouter(tags=["ops"])


@router.get("/health", summary="The process is up")
async def health() -> JSONResponse:
    return JSONResponse({"status": "ok"})


def _select_one(session: Session) -> None:
    session.execute(text("SELECT 1"))


@router.get("/ready", summary="The database answers")
async def ready(db: Db) -> JSONResponse:
    try:
        await db.read(_select_one)
    except Exception:
        return JSONResponse(
            {
                "error": {
                    "code": "not_ready",
                    "message": "The database is unreachable.",
                    "details": None,
                }
            },
            status_code=503,
        )
    return JSONResponse({"status": "ok", "database": db.backend})
