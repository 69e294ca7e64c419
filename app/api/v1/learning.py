"""Playing: enrolment, lesson sessions, practice rounds, answers and completion."""

from __future__ import annotations

import secrets
from datetime import datetime

from fastapi import APIRouter, Request, Response, status
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError

from app.core.errors import responses
from app.deps import CurrentUser, Db
from app.schemas.learning import (
    AnswerReply,
    AnswerSubmit,
    CompletionReply,
    EnrollmentPublic,
    PracticeStart,
    SessionPublic,
)
from app.services import enrollment, leaderboard, sessions
from app.services.auth import InvalidAccessToken
from app.services.courses import CourseNotFound, LessonNotFound

router = APIRouter(tags=["learning"])


def _now(request: Request) -> datetime:
    now: datetime = request.app.state.clock.now()
    return now


@router.post(
    "/courses/{course_id}/enroll",
    status_code=status.HTTP_200_OK,
    responses=responses(InvalidAccessToken, CourseNotFound),
)
async def enroll(course_id: int, user: CurrentUser, db: Db, request: Request) -> EnrollmentPublic:
    now = _now(request)
    return await db.write(
        lambda session: enrollment.enroll(session, account=user, course_id=course_id, now=now)
    )


@router.post(
    "/lessons/{lesson_id}/sessions",
    status_code=status.HTTP_201_CREATED,
    responses=responses(
        InvalidAccessToken, LessonNotFound, sessions.LessonLocked, sessions.OutOfHearts
    ),
    summary="Start a lesson: its exercises in play order, without answers",
)
async def start_lesson(
    lesson_id: int, user: CurrentUser, db: Db, request: Request
) -> SessionPublic:
    now, seed = _now(request), secrets.randbits(32)
    return await db.write(
        lambda session: sessions.start_lesson(
            session, account=user, lesson_id=lesson_id, now=now, seed=seed
        )
    )


@router.post(
    "/practice/sessions",
    status_code=status.HTTP_201_CREATED,
    responses=responses(InvalidAccessToken, CourseNotFound, sessions.NothingToPractice),
    summary="Start a practice round from completed lessons",
)
async def start_practice(
    user: CurrentUser, db: Db, request: Request, body: PracticeStart | None = None
) -> SessionPublic:
    now, seed = _now(request), secrets.randbits(32)
    course_id = body.course_id if body is not None else None
    return await db.write(
        lambda session: sessions.start_practice(
            session, account=user, course_id=course_id, now=now, seed=seed
        )
    )


@router.get(
    "/sessions/{session_id}",
    response_model=SessionPublic,
    responses=responses(InvalidAccessToken, sessions.SessionNotFound),
    summary="Resume a session: its exercises and state",
)
async def get_session(session_id: int, user: CurrentUser, db: Db, request: Request) -> Response:
    # A hot path: the document is built from cached exercise views (see session_json).
    body = await sessions.session_json(
        db=db,
        views=request.app.state.exercise_views,
        account=user,
        session_id=session_id,
        now=_now(request),
    )
    return Response(content=body, media_type="application/json")


@router.post(
    "/sessions/{session_id}/answers",
    response_model=AnswerReply,
    responses=responses(
        InvalidAccessToken,
        sessions.SessionNotFound,
        sessions.SessionFinished,
        sessions.SessionExpired,
        sessions.ExerciseNotPending,
        sessions.AnswerIdReused,
        sessions.AnswerShape,
    ),
    summary="Answer an exercise; a retry with the same client_answer_id returns the first reply",
)
async def answer(
    session_id: int, data: AnswerSubmit, user: CurrentUser, db: Db, request: Request
) -> JSONResponse:
    now = _now(request)
    try:
        reply = await db.write(
            lambda session: sessions.submit_answer(
                session, account=user, session_id=session_id, data=data, now=now
            )
        )
    except IntegrityError:
        # A concurrent retry with the same client_answer_id won the race: its reply stands.
        replay = await db.read(
            lambda session: sessions.stored_reply(
                session, account=user, data=data, session_id=session_id
            )
        )
        if replay is None:
            raise
        reply = replay
    # Built and checked by the service; re-validating it here would cost a fifth of the call.
    return JSONResponse(reply)


@router.post(
    "/sessions/{session_id}/complete",
    responses=responses(
        InvalidAccessToken,
        sessions.SessionNotFound,
        sessions.SessionNotDone,
        sessions.OutOfHearts,
    ),
    summary="Finish a session: XP, streak and daily goal. Completing twice awards once.",
)
async def complete(session_id: int, user: CurrentUser, db: Db, request: Request) -> CompletionReply:
    now = _now(request)
    reply = await db.write(
        lambda session: sessions.complete(session, account=user, session_id=session_id, now=now)
    )
    scores = request.app.state.league_scores
    if scores is not None and reply.xp.total > 0:
        score = await db.read(
            lambda session: leaderboard.member_score(session, user_id=user.id, now=now)
        )
        if score is not None:
            await scores.publish([score])
    return reply
