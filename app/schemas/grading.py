"""The author's grading preview: accepted answers and an answer in, a verdict out."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from app.schemas.base import RequestModel, ResponseModel
from app.services.grading import TokenStatus, VerdictKind

AcceptedAnswer = Annotated[str, Field(min_length=1, max_length=2000)]


class GradingCheck(RequestModel):
    accepted: list[AcceptedAnswer] = Field(
        min_length=1, max_length=100, examples=[["I [am/'m] a [boy/child]"]]
    )
    answer: str = Field(max_length=1000, examples=["im a boy"])
    language: str = Field(
        default="en", min_length=2, max_length=35, description="BCP 47 code of the answer"
    )
    vocabulary: list[Annotated[str, Field(max_length=100)]] = Field(
        default=[],
        max_length=5000,
        description="Other real words of the course: typing one of them is a mistake, not a typo.",
    )


class DiffTokenPublic(ResponseModel):
    typed: str | None = Field(description="What the learner typed; null for a missing word.")
    expected: str | None = Field(description="The accepted word; null for an extra word.")
    status: TokenStatus


class VerdictPublic(ResponseModel):
    correct: bool
    kind: VerdictKind
    closest: str = Field(description="The accepted answer closest to what was typed.")
    diff: list[DiffTokenPublic]
