"""Lesson sessions, answers, completions and progress as the API shows them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import Field

from app.schemas.base import RequestModel, ResponseModel
from app.schemas.content import ExercisePublic
from app.schemas.grading import VerdictPublic

# translate / listen / fill_blank: text; word_bank: the tiles in order;
# match_pairs: [left, right] pairs; multiple_choice: the chosen option's index.
AnswerValue = (
    Annotated[str, Field(max_length=1000)]
    | Annotated[list[Annotated[str, Field(max_length=200)]], Field(max_length=100)]
    | Annotated[
        list[
            Annotated[
                list[Annotated[str, Field(max_length=200)]], Field(min_length=2, max_length=2)
            ]
        ],
        Field(max_length=50),
    ]
    | Annotated[int, Field(ge=0, le=100)]
)

SessionKind = Literal["lesson", "practice"]
SessionStatus = Literal["active", "failed", "completed"]


class AnswerSubmit(RequestModel):
    exercise_id: int
    answer: AnswerValue
    client_answer_id: Annotated[
        str,
        Field(
            min_length=8,
            max_length=64,
            pattern=r"^[A-Za-z0-9_.:-]+$",
            description="Made by the client (a UUID); a retry with the same id changes nothing.",
        ),
    ]


class PracticeStart(RequestModel):
    course_id: int | None = Field(
        default=None, description="Practise one course; by default every enrolled course."
    )


class HeartsPublic(ResponseModel):
    hearts: int
    max_hearts: int
    next_refill_at: datetime | None
    full_at: datetime | None


class SessionState(ResponseModel):
    status: SessionStatus
    answered: int
    remaining: int
    total: int = Field(description="Exercises in the session, counting those asked again.")
    mistakes: int
    combo: int
    hearts: HeartsPublic


class SessionPublic(ResponseModel):
    id: int
    kind: SessionKind
    course_id: int
    lesson_id: int | None
    started_at: datetime
    expires_at: datetime
    exercises: list[ExercisePublic] = Field(description="In play order, without answers.")
    queue: list[int] = Field(description="Exercise ids still to answer, in order.")
    state: SessionState


class Solution(ResponseModel):
    text: str | None = Field(default=None, description="The closest correct answer.")
    option_index: int | None = None
    pairs: list[list[str]] | None = None


class AnswerReply(ResponseModel):
    attempt_id: int
    exercise_id: int
    correct: bool
    verdict: VerdictPublic
    solution: Solution
    will_repeat: bool = Field(description="The exercise comes back later in this session.")
    state: SessionState


class XpBreakdownPublic(ResponseModel):
    base: int
    perfect_bonus: int
    combo_bonus: int
    total: int


class StreakPublic(ResponseModel):
    length: int
    extended_today: bool
    at_risk: bool
    freezes_held: int
    freezes_used: list[date] = Field(default_factory=list)
    freezes_earned: int = 0


class DailyGoalPublic(ResponseModel):
    goal: int
    xp_today: int
    reached: bool
    fraction: float


class CompletionReply(ResponseModel):
    session_id: int
    kind: SessionKind
    xp: XpBreakdownPublic
    streak: StreakPublic
    daily_goal: DailyGoalPublic
    hearts: HeartsPublic
    mistakes: int
    best_combo: int


class NextLesson(ResponseModel):
    id: int
    title: str
    unit_id: int


class CourseProgress(ResponseModel):
    course_id: int
    title: str
    lessons_completed: int
    lesson_count: int
    next_lesson: NextLesson | None


class ProgressPublic(ResponseModel):
    xp_total: int
    xp_today: int
    streak: StreakPublic
    hearts: HeartsPublic
    daily_goal: DailyGoalPublic
    league_tier: str
    courses: list[CourseProgress]


class XpDay(ResponseModel):
    date: date
    xp: int


class XpHistory(ResponseModel):
    days: list[XpDay]
    total: int


class EnrollmentPublic(ResponseModel):
    course_id: int
    enrolled_at: datetime


class StandingPublic(ResponseModel):
    rank: int
    user_id: int
    username: str
    display_name: str
    xp: int
    zone: Literal["promote", "stay", "demote"]
    is_you: bool


class LeaderboardPublic(ResponseModel):
    week_start: date
    ends_at: datetime
    tier: str
    joined: bool = Field(description="False until the learner earns XP this week.")
    league_number: int | None = None
    promotion_slots: int = 0
    demotion_slots: int = 0
    standings: list[StandingPublic] = Field(default_factory=list)
    your_rank: int | None = None
