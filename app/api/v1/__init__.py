"""Version 1 of the public API, mounted at /api/v1."""

from fastapi import APIRouter

from app.api.v1 import (
    auth,
    courses,
    exercises,
    grading,
    leaderboard,
    learning,
    lessons,
    units,
    users,
)

api_router = APIRouter(prefix="/api/v1")
# Starlette tries routes in order and FastAPI's matching costs a few microseconds per
# route: the learner's hot paths go first (docs/performance.md).
api_router.include_router(learning.router)
api_router.include_router(users.router)
api_router.include_router(leaderboard.router)
api_router.include_router(auth.router)
api_router.include_router(grading.router)
api_router.include_router(courses.router)
api_router.include_router(units.router)
api_router.include_router(lessons.router)
api_router.include_router(exercises.router)
