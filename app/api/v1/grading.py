"""Authors preview how an answer will be judged."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter

from app.core.errors import Forbidden, responses
from app.deps import AuthorUser
from app.schemas.grading import GradingCheck, VerdictPublic
from app.services import grading_preview
from app.services.auth import InvalidAccessToken
from app.services.grading_preview import MalformedGrammar

router = APIRouter(prefix="/grading", tags=["authoring"])


@router.post(
    "/check",
    responses=responses(InvalidAccessToken, Forbidden, MalformedGrammar),
    summary="Preview the verdict for an answer against accepted answers",
)
async def check(request: GradingCheck, _author: AuthorUser) -> VerdictPublic:
    # Large grammars take milliseconds to compile: keep them off the event loop.
    verdict = await asyncio.to_thread(
        grading_preview.preview,
        accepted=request.accepted,
        answer=request.answer,
        language=request.language,
        vocabulary=request.vocabulary,
    )
    return VerdictPublic.model_validate(verdict.to_dict())
