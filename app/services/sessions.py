"""Lesson sessions and practice rounds: start, answer, complete.

The server is the only judge. Every unit of work here runs inside one write
transaction (``Database.write``) that first locks the play's row, so two devices
answering at once, or a retry racing its original, are serialised: the second
sees what the first wrote. A ``client_answer_id`` seen before returns the first
reply unchanged, and a completion awards its XP once (the ledger's unique
``(session_id, reason)`` is the last line of defence).
"""

from __future__ import annotations

import json
import random
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, case, func, insert, select, update
from sqlalchemy.orm import Session

from app.core.database import Database, HotQuery, run_hot
from app.core.errors import Conflict, NotFound, Unprocessable
from app.models.content import Course, Exercise, ExerciseItem, Lesson
from app.models.learning import Attempt, LessonProgress, LessonSession, XpEvent
from app.models.user import User
from app.schemas.content import ExercisePublic
from app.schemas.grading import VerdictPublic
from app.schemas.learning import (
    AnswerReply,
    AnswerSubmit,
    CompletionReply,
    DailyGoalPublic,
    HeartsPublic,
    SessionPublic,
    SessionState,
    Solution,
    StreakPublic,
    XpBreakdownPublic,
)
from app.services import courses, enrollment, leaderboard, path, vocabulary
from app.services.auth import Account
from app.services.grading import (
    Verdict,
    grade_match_pairs,
    grade_multiple_choice,
    grade_text,
    grade_word_bank,
)
from app.services.learning import (
    MAX_HEARTS,
    HeartsState,
    StreakLedger,
    combo_state,
    daily_goal_progress,
    day_span_utc,
    lesson_xp,
    local_date,
    practice_xp,
    record_activity,
    streak_state,
)
from app.services.learning import hearts as hearts_rules

LESSON_SIZE = 12
PRACTICE_SIZE = 10
SESSION_LIFETIME = timedelta(hours=24)
# A wrong answer brings its exercise back, at most this many times per session.
MAX_REPEATS = 2


class SessionNotFound(NotFound):
    code = "session_not_found"
    default_message = "No such session."


class LessonLocked(Conflict):
    code = "lesson_locked"
    default_message = "Finish the lessons before this one first."


class OutOfHearts(Conflict):
    code = "out_of_hearts"
    default_message = "You are out of hearts. Practise to earn one back, or wait for a refill."


class SessionFinished(Conflict):
    code = "session_finished"
    default_message = "This session is already finished."


class SessionExpired(Conflict):
    code = "session_expired"
    default_message = "This session has expired. Start the lesson again."


class SessionNotDone(Conflict):
    code = "session_not_finished"
    default_message = "Some exercises of this session are still unanswered."


class ExerciseNotPending(Conflict):
    code = "exercise_not_pending"
    default_message = "That exercise is not waiting for an answer in this session."


class AnswerIdReused(Conflict):
    code = "client_answer_id_reused"
    default_message = "This client_answer_id was already used for another answer."


class AnswerShape(Unprocessable):
    code = "answer_shape"


class NothingToPractice(Conflict):
    code = "nothing_to_practice"
    default_message = "Complete a lesson first: practice reviews what you have learned."


# -- hearts and streak on the user row -----------------------------------------------------


def hearts_of(user: User, *, now: datetime) -> HeartsState:
    state = HeartsState(hearts=user.hearts, refill_from=user.hearts_refill_from)
    return hearts_rules.current(state, now=now)


def store_hearts(user: User, state: HeartsState) -> None:
    user.hearts = state.hearts
    user.hearts_refill_from = state.refill_from


def hearts_public(state: HeartsState, *, now: datetime) -> HeartsPublic:
    return HeartsPublic(
        hearts=state.hearts,
        max_hearts=MAX_HEARTS,
        next_refill_at=hearts_rules.next_refill_at(state, now=now),
        full_at=hearts_rules.full_at(state, now=now),
    )


def streak_ledger(user: User) -> StreakLedger:
    return StreakLedger(
        length=user.streak_length,
        last_active_date=user.streak_last_date,
        freezes_held=user.streak_freezes,
    )


def _lock_user(session: Session, user_id: int) -> User:
    return session.scalars(select(User).where(User.id == user_id).with_for_update()).one()


# -- choosing exercises --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Candidate:
    exercise_id: int
    type: str
    item_ids: tuple[int, ...]
    wrong_count: int = 0
    last_seen_at: datetime | None = None


def choose_lesson_exercises(
    candidates: Sequence[Candidate], *, size: int, rng: random.Random
) -> list[int]:
    """A varied lesson: every item met once before any is met twice, few match-pairs."""
    pool = list(candidates)
    rng.shuffle(pool)
    chosen: list[Candidate] = []
    seen_items: set[int] = set()
    match_pairs = 0
    for prefer_new_items in (True, False):
        for candidate in pool:
            if len(chosen) == size:
                break
            if candidate in chosen:
                continue
            if candidate.type == "match_pairs" and match_pairs >= 1:
                continue
            if prefer_new_items and seen_items.issuperset(candidate.item_ids):
                continue
            chosen.append(candidate)
            seen_items.update(candidate.item_ids)
            match_pairs += candidate.type == "match_pairs"
    # Recognition before production: multiple choice and pairs early, free text late.
    order = {"multiple_choice": 0, "match_pairs": 1, "word_bank": 2, "listen": 3}
    chosen.sort(key=lambda candidate: order.get(candidate.type, 4))
    return [candidate.exercise_id for candidate in chosen]


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def choose_practice_exercises(
    candidates: Sequence[Candidate], *, size: int, rng: random.Random
) -> list[int]:
    """The exercises most worth reviewing: answered wrongly most, then seen least recently.

    This is the one place a spaced-repetition model plugs in.
    """
    shuffled = list(candidates)
    rng.shuffle(shuffled)  # ties broken at random, not by id
    ranked = sorted(
        shuffled,
        key=lambda c: (
            -c.wrong_count,
            c.last_seen_at is not None,
            c.last_seen_at or _EPOCH,
        ),
    )
    return [candidate.exercise_id for candidate in ranked[:size]]


def _candidates(session: Session, *, lesson_ids: Sequence[int]) -> list[Candidate]:
    rows = session.execute(
        select(Exercise.id, Exercise.type).where(Exercise.lesson_id.in_(lesson_ids))
    ).all()
    links: dict[int, list[int]] = {}
    for exercise_id, item_id in session.execute(
        select(ExerciseItem.exercise_id, ExerciseItem.item_id)
        .join(Exercise, ExerciseItem.exercise_id == Exercise.id)
        .where(Exercise.lesson_id.in_(lesson_ids))
        .order_by(ExerciseItem.exercise_id, ExerciseItem.position)
    ):
        links.setdefault(exercise_id, []).append(item_id)
    return [
        Candidate(exercise_id=row[0], type=row[1], item_ids=tuple(links.get(row[0], ())))
        for row in rows
    ]


# -- replies -------------------------------------------------------------------------------


def session_state(
    *,
    status: str,
    queue: Sequence[int],
    results: Sequence[bool],
    mistakes: int,
    hearts: HeartsState,
    now: datetime,
) -> SessionState:
    return SessionState(
        status=status,
        answered=len(results),
        remaining=len(queue),
        total=len(results) + len(queue),
        mistakes=mistakes,
        combo=combo_state(results).current,
        hearts=hearts_public(hearts, now=now),
    )


def _in_play_order(
    views: dict[int, dict[str, Any]], exercise_ids: Sequence[int]
) -> list[dict[str, Any]]:
    # An exercise an author deleted mid-session is skipped, not an error.
    return [
        {**views[exercise_id], "position": index}
        for index, exercise_id in enumerate(exercise_ids)
        if exercise_id in views
    ]


def _session_public(
    session: Session, *, play: LessonSession, hearts: HeartsState, now: datetime
) -> SessionPublic:
    views = _exercise_views(session, exercise_ids=play.exercise_ids)
    return SessionPublic(
        id=play.id,
        kind=play.kind,
        course_id=play.course_id,
        lesson_id=play.lesson_id,
        started_at=play.started_at,
        expires_at=play.expires_at,
        exercises=[
            ExercisePublic.model_validate(view) for view in _in_play_order(views, play.exercise_ids)
        ],
        queue=list(play.queue),
        state=session_state(
            status=play.status,
            queue=play.queue,
            results=play.results,
            mistakes=play.mistakes,
            hearts=hearts,
            now=now,
        ),
    )


# -- starting ------------------------------------------------------------------------------


def start_lesson(
    session: Session, *, account: Account, lesson_id: int, now: datetime, seed: int
) -> SessionPublic:
    context = courses.load_lesson(session, lesson_id=lesson_id, user=account)
    lesson = context.lesson
    if not context.access.can_edit:
        states = path.lesson_states(session, user_id=account.id, course_id=lesson.course_id)
        if states.get(lesson.id) == "locked":
            raise LessonLocked
    user = _lock_user(session, account.id)
    hearts = hearts_of(user, now=now)
    store_hearts(user, hearts)
    if not hearts_rules.can_start_lesson(hearts, now=now):
        raise OutOfHearts(details={"next_refill_at": hearts_public(hearts, now=now).next_refill_at})
    candidates = _candidates(session, lesson_ids=[lesson.id])
    if not candidates:
        raise Conflict("This lesson has no exercises yet.")
    exercise_ids = choose_lesson_exercises(
        candidates,
        size=LESSON_SIZE,
        rng=random.Random(seed),  # noqa: S311  # not security
    )
    enrollment.enroll(session, account=account, course_id=lesson.course_id, now=now)
    return _open(
        session,
        account=account,
        kind="lesson",
        course_id=lesson.course_id,
        lesson_id=lesson.id,
        exercise_ids=exercise_ids,
        hearts=hearts,
        now=now,
    )


def _open(
    session: Session,
    *,
    account: Account,
    kind: str,
    course_id: int,
    lesson_id: int | None,
    exercise_ids: list[int],
    hearts: HeartsState,
    now: datetime,
) -> SessionPublic:
    play = LessonSession(
        user_id=account.id,
        kind=kind,
        course_id=course_id,
        lesson_id=lesson_id,
        exercise_ids=exercise_ids,
        queue=exercise_ids,
        results=[],
        retries={},
        started_at=now,
        expires_at=now + SESSION_LIFETIME,
    )
    session.add(play)
    session.flush()
    return _session_public(session, play=play, hearts=hearts, now=now)


def start_practice(
    session: Session, *, account: Account, course_id: int | None, now: datetime, seed: int
) -> SessionPublic:
    query = select(LessonProgress.lesson_id, LessonProgress.course_id).where(
        LessonProgress.user_id == account.id
    )
    if course_id is not None:
        courses.load_course(session, course_id=course_id, user=account)  # 404 if invisible
        query = query.where(LessonProgress.course_id == course_id)
    completed = session.execute(query.order_by(LessonProgress.last_completed_at.desc())).all()
    if not completed:
        raise NothingToPractice
    # A round practises one course: the one asked for, or the most recently studied.
    chosen_course = course_id if course_id is not None else completed[0][1]
    lesson_ids = [lesson for lesson, course in completed if course == chosen_course]
    history = {
        row[0]: (int(row[1]), row[2])
        for row in session.execute(
            select(
                Attempt.exercise_id,
                func.sum(case((Attempt.correct.is_(False), 1), else_=0)),
                func.max(Attempt.created_at),
            )
            .where(Attempt.user_id == account.id)
            .group_by(Attempt.exercise_id)
        )
    }
    candidates = [
        Candidate(
            exercise_id=c.exercise_id,
            type=c.type,
            item_ids=c.item_ids,
            wrong_count=history.get(c.exercise_id, (0, None))[0],
            last_seen_at=history.get(c.exercise_id, (0, None))[1],
        )
        for c in _candidates(session, lesson_ids=lesson_ids)
    ]
    exercise_ids = choose_practice_exercises(
        candidates,
        size=PRACTICE_SIZE,
        rng=random.Random(seed),  # noqa: S311  # not security
    )
    user = _lock_user(session, account.id)
    hearts = hearts_of(user, now=now)
    store_hearts(user, hearts)
    return _open(
        session,
        account=account,
        kind="practice",
        course_id=chosen_course,
        lesson_id=None,
        exercise_ids=exercise_ids,
        hearts=hearts,
        now=now,
    )


def _lock_own_play(session: Session, *, account: Account, session_id: int) -> LessonSession:
    """The learner's own session, locked for this transaction."""
    play = session.scalars(
        select(LessonSession).where(LessonSession.id == session_id).with_for_update()
    ).one_or_none()
    # Another learner's session is as absent as a missing one.
    if play is None or play.user_id != account.id:
        raise SessionNotFound
    return play


class ExerciseViews:
    """Learners' views of exercises, kept per process and keyed by the course's content
    version (``course.updated_at``, which every content write moves). Building them is
    most of what fetching a session costs; they change only when an author edits."""

    def __init__(self, *, size: int = 50_000) -> None:
        self._size = size
        self._views: OrderedDict[int, tuple[datetime, dict[str, Any]]] = OrderedDict()

    def lookup(
        self, exercise_ids: Sequence[int], *, version: datetime
    ) -> tuple[dict[int, dict[str, Any]], list[int]]:
        found: dict[int, dict[str, Any]] = {}
        missing: list[int] = []
        for exercise_id in exercise_ids:
            cached = self._views.get(exercise_id)
            if cached is not None and cached[0] == version:
                found[exercise_id] = cached[1]
            else:
                missing.append(exercise_id)
        return found, missing

    def store(self, views: dict[int, dict[str, Any]], *, version: datetime) -> None:
        for exercise_id, view in views.items():
            self._views[exercise_id] = (version, view)
            self._views.move_to_end(exercise_id)
        while len(self._views) > self._size:
            self._views.popitem(last=False)


def _exercise_views(session: Session, *, exercise_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    return {
        exercise.id: courses.exercise_view(exercise, item_ids=(), author=False).model_dump(
            mode="json"
        )
        for exercise in session.scalars(select(Exercise).where(Exercise.id.in_(exercise_ids)))
    }


# Fetching a session is a hot path: one query below the ORM for the session, its
# course's content version and the learner's hearts (docs/performance.md).
_SESSION_ROW = HotQuery(
    select(
        LessonSession.user_id,
        LessonSession.kind,
        LessonSession.course_id,
        LessonSession.lesson_id,
        LessonSession.status,
        LessonSession.exercise_ids,
        LessonSession.queue,
        LessonSession.results,
        LessonSession.mistakes,
        LessonSession.started_at,
        LessonSession.expires_at,
        Course.updated_at,
        User.hearts,
        User.hearts_refill_from,
    )
    .join(Course, Course.id == LessonSession.course_id)
    .join(User, User.id == LessonSession.user_id)
    .where(LessonSession.id == bindparam("session_id"))
)


def _json_time(moment: datetime) -> str:
    # The same text pydantic writes for an aware UTC datetime.
    return moment.isoformat().replace("+00:00", "Z")


async def session_json(
    *, db: Database, views: ExerciseViews, account: Account, session_id: int, now: datetime
) -> bytes:
    """``GET /sessions/{id}`` as JSON bytes: the document starting a session returns,
    as it stands now (tested to be identical)."""
    row = await db.fetch_one(_SESSION_ROW, session_id=session_id)
    if row is None or row[0] != account.id:
        raise SessionNotFound
    (_, kind, course_id, lesson_id, status, exercise_ids, queue, results, mistakes,
     started_at, expires_at, version, hearts, refill_from) = row  # fmt: skip
    found, missing = views.lookup(exercise_ids, version=version)
    if missing:
        loaded = await db.read(lambda s: _exercise_views(s, exercise_ids=missing))
        views.store(loaded, version=version)
        found.update(loaded)
    hearts_now = hearts_rules.current(HeartsState(hearts=hearts, refill_from=refill_from), now=now)
    state = session_state(
        status=status,
        queue=queue,
        results=results,
        mistakes=mistakes,
        hearts=hearts_now,
        now=now,
    )
    document = {
        "id": session_id,
        "kind": kind,
        "course_id": course_id,
        "lesson_id": lesson_id,
        "started_at": _json_time(started_at),
        "expires_at": _json_time(expires_at),
        "exercises": _in_play_order(found, exercise_ids),
        "queue": queue,
        "state": state.model_dump(mode="json"),
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


# -- answering -----------------------------------------------------------------------------


def _expect(answer: Any, *, kind: type, message: str) -> None:
    if not isinstance(answer, kind) or isinstance(answer, bool):
        raise AnswerShape(message, details=[{"field": "answer", "message": message}])


def grade_answer(
    *, payload: dict[str, Any], answer: Any, language: str, vocabulary_words: frozenset[str]
) -> tuple[Verdict, Solution]:
    """Judge one answer against an exercise's stored payload."""
    kind = payload["type"]
    if kind in {"translate", "listen", "fill_blank"}:
        _expect(answer, kind=str, message="This exercise expects the answer as text.")
        verdict = grade_text(
            answer,
            accepted=payload["accepted"],
            language=payload.get("answer_language") or payload.get("language") or language,
            vocabulary=vocabulary_words,
        )
        return verdict, Solution(text=verdict.closest)
    if kind == "word_bank":
        message = "This exercise expects the chosen tiles as a list of strings."
        _expect(answer, kind=list, message=message)
        if not all(isinstance(tile, str) for tile in answer):
            raise AnswerShape(message)
        verdict = grade_word_bank(
            answer, accepted=payload["accepted"], language=payload["answer_language"]
        )
        return verdict, Solution(text=verdict.closest)
    if kind == "match_pairs":
        message = "This exercise expects a list of [left, right] pairs."
        _expect(answer, kind=list, message=message)
        if not all(isinstance(pair, list) and len(pair) == 2 for pair in answer):
            raise AnswerShape(message)
        expected = [(pair["left"], pair["right"]) for pair in payload["pairs"]]
        verdict = grade_match_pairs([(a, b) for a, b in answer], expected=expected)
        return verdict, Solution(pairs=[[left, right] for left, right in expected])
    if kind == "multiple_choice":
        _expect(answer, kind=int, message="This exercise expects the chosen option's index.")
        options = [option["text"] for option in payload["options"]]
        if answer >= len(options):
            raise AnswerShape(f"There are only {len(options)} options.")
        correct = int(payload["correct_index"])
        verdict = grade_multiple_choice(answer, options=options, correct=correct)
        return verdict, Solution(text=options[correct], option_index=correct)
    raise AnswerShape(f"Exercises of type {kind!r} cannot be answered.")


# Answering is the hottest write: its statements run below the ORM (docs/performance.md).
_ANSWER_CONTEXT = HotQuery(
    select(
        LessonSession.user_id,
        LessonSession.kind,
        LessonSession.status,
        LessonSession.queue,
        LessonSession.results,
        LessonSession.retries,
        LessonSession.mistakes,
        LessonSession.expires_at,
        Course.id,
        Course.updated_at,
        Course.target_language,
        User.hearts,
        User.hearts_refill_from,
    )
    .join(Course, Course.id == LessonSession.course_id)
    .join(User, User.id == LessonSession.user_id)
    .where(LessonSession.id == bindparam("session_id"))
    # Two devices answering at once take turns; so do a retry and its original.
    .with_for_update(of=[LessonSession.__table__, User.__table__])
)
_ATTEMPT_BY_KEY = HotQuery(
    select(Attempt.id, Attempt.session_id, Attempt.exercise_id, Attempt.reply).where(
        Attempt.user_id == bindparam("user_id"), Attempt.client_answer_id == bindparam("key")
    )
)
_EXERCISE_PAYLOAD = HotQuery(
    select(Exercise.payload).where(Exercise.id == bindparam("exercise_id"))
)
_UPDATE_PLAY = HotQuery(
    update(LessonSession)
    .where(LessonSession.id == bindparam("session_id"))
    .values(
        queue=bindparam("new_queue"),
        results=bindparam("new_results"),
        retries=bindparam("new_retries"),
        mistakes=bindparam("new_mistakes"),
        status=bindparam("new_status"),
    )
)
_UPDATE_HEARTS = HotQuery(
    update(User)
    .where(User.id == bindparam("user_id"))
    .values(hearts=bindparam("new_hearts"), hearts_refill_from=bindparam("new_refill_from"))
)
_INSERT_ATTEMPT = HotQuery(
    insert(Attempt)
    .values(
        user_id=bindparam("a_user_id"),
        session_id=bindparam("a_session_id"),
        exercise_id=bindparam("a_exercise_id"),
        client_answer_id=bindparam("a_key"),
        answer=bindparam("a_answer"),
        correct=bindparam("a_correct"),
        kind=bindparam("a_kind"),
        reply=bindparam("a_reply"),
        created_at=bindparam("a_created_at"),
    )
    .returning(Attempt.id),
    columns=[Attempt.__table__.c.id],
)


def stored_reply(
    session: Session, *, account: Account, data: AnswerSubmit, session_id: int
) -> dict[str, Any] | None:
    """The first reply to this client_answer_id, if it was already answered."""
    found = run_hot(
        session, _ATTEMPT_BY_KEY, user_id=account.id, key=data.client_answer_id
    ).one_or_none()
    if found is None:
        return None
    attempt_id, first_session, first_exercise, reply = found
    if first_session != session_id or first_exercise != data.exercise_id:
        raise AnswerIdReused
    return {**reply, "attempt_id": attempt_id}


def submit_answer(
    session: Session, *, account: Account, session_id: int, data: AnswerSubmit, now: datetime
) -> dict[str, Any]:
    """Grade one answer and record it; returns the reply as JSON-ready data."""
    context = run_hot(session, _ANSWER_CONTEXT, session_id=session_id).one_or_none()
    # Another learner's session is as absent as a missing one.
    if context is None or context[0] != account.id:
        raise SessionNotFound
    (_, kind, status, queue, results, retries, mistakes, expires_at,
     course_id, version, target_language, hearts, refill_from) = context  # fmt: skip
    # Checked under the session's lock: a retry racing its original sees the original.
    replay = stored_reply(session, account=account, data=data, session_id=session_id)
    if replay is not None:
        return replay
    if status == "completed":
        raise SessionFinished
    if status == "failed":
        raise OutOfHearts("You ran out of hearts in this lesson.")
    if now >= expires_at:
        raise SessionExpired
    if data.exercise_id not in queue:
        raise ExerciseNotPending
    payload = run_hot(session, _EXERCISE_PAYLOAD, exercise_id=data.exercise_id).rows[0][0]
    verdict, solution = grade_answer(
        payload=payload,
        answer=data.answer,
        language=target_language,
        vocabulary_words=vocabulary.words(session, course_id=course_id, version=version),
    )

    queue = list(queue)
    queue.remove(data.exercise_id)
    will_repeat = False
    if not verdict.correct:
        mistakes += 1
        repeats = retries.get(str(data.exercise_id), 0)
        if repeats < MAX_REPEATS:
            queue.append(data.exercise_id)
            retries = {**retries, str(data.exercise_id): repeats + 1}
            will_repeat = True
    results = [*results, verdict.correct]

    before = HeartsState(hearts=hearts, refill_from=refill_from)
    after = hearts_rules.current(before, now=now)
    if kind == "lesson" and not verdict.correct:
        after = hearts_rules.lose_one(after, now=now)
        if after.hearts == 0:
            status = "failed"
            will_repeat = False
    if after != before:
        run_hot(
            session,
            _UPDATE_HEARTS,
            user_id=account.id,
            new_hearts=after.hearts,
            new_refill_from=after.refill_from,
        )
    run_hot(
        session,
        _UPDATE_PLAY,
        session_id=session_id,
        new_queue=queue,
        new_results=results,
        new_retries=retries,
        new_mistakes=mistakes,
        new_status=status,
    )
    reply = AnswerReply(
        attempt_id=0,
        exercise_id=data.exercise_id,
        correct=verdict.correct,
        verdict=VerdictPublic.model_validate(verdict.to_dict()),
        solution=solution,
        will_repeat=will_repeat,
        state=session_state(
            status=status,
            queue=queue,
            results=results,
            mistakes=mistakes,
            hearts=after,
            now=now,
        ),
    ).model_dump(mode="json", exclude={"attempt_id"})
    attempt_id = run_hot(
        session,
        _INSERT_ATTEMPT,
        a_user_id=account.id,
        a_session_id=session_id,
        a_exercise_id=data.exercise_id,
        a_key=data.client_answer_id,
        a_answer=data.answer,
        a_correct=verdict.correct,
        a_kind=str(verdict.kind),
        a_reply=reply,
        a_created_at=now,
    ).rows[0][0]
    return {**reply, "attempt_id": attempt_id}


# -- completing ----------------------------------------------------------------------------


def _practice_rounds_today(session: Session, *, user_id: int, timezone: str, now: datetime) -> int:
    span = day_span_utc(local_date(now, timezone=timezone), timezone=timezone)
    return int(
        session.scalar(
            select(func.count())
            .select_from(LessonSession)
            .where(
                LessonSession.user_id == user_id,
                LessonSession.kind == "practice",
                LessonSession.status == "completed",
                LessonSession.completed_at >= span.start_at,
                LessonSession.completed_at < span.end_at,
            )
        )
        or 0
    )


def xp_on(session: Session, *, user_id: int, day: Any) -> int:
    return int(
        session.scalar(
            select(func.coalesce(func.sum(XpEvent.amount), 0)).where(
                XpEvent.user_id == user_id, XpEvent.local_date == day
            )
        )
        or 0
    )


def complete(
    session: Session, *, account: Account, session_id: int, now: datetime
) -> CompletionReply:
    play = _lock_own_play(session, account=account, session_id=session_id)
    if play.status == "completed" and play.completion is not None:
        return CompletionReply.model_validate(play.completion)  # completing twice awards once
    if play.status == "failed":
        raise OutOfHearts("You ran out of hearts in this lesson; start it again.")
    if play.queue:
        raise SessionNotDone(details={"remaining": len(play.queue)})

    user = _lock_user(session, account.id)
    today = local_date(now, timezone=user.timezone)
    if play.kind == "lesson":
        breakdown = lesson_xp(results=play.results)
    else:
        rounds = _practice_rounds_today(session, user_id=user.id, timezone=user.timezone, now=now)
        breakdown = practice_xp(rounds_completed_today=rounds)
    for entry in breakdown.entries():
        session.add(
            XpEvent(
                user_id=user.id,
                amount=entry.amount,
                reason=str(entry.reason),
                session_id=play.id,
                created_at=now,
                local_date=today,
            )
        )

    update = record_activity(streak_ledger(user), day=today)
    user.streak_length = update.ledger.length
    user.streak_last_date = update.ledger.last_active_date
    user.streak_freezes = update.ledger.freezes_held

    hearts = hearts_of(user, now=now)
    if play.kind == "practice":
        hearts = hearts_rules.gain_one(hearts, now=now)
    store_hearts(user, hearts)

    if play.lesson_id is not None:
        _record_lesson_progress(session, play=play, now=now)
    if breakdown.total > 0:
        leaderboard.join_week(session, user=user, now=now)

    session.flush()
    state = streak_state(update.ledger, today=today)
    goal = daily_goal_progress(
        xp_today=xp_on(session, user_id=user.id, day=today), goal=user.daily_goal
    )
    reply = CompletionReply(
        session_id=play.id,
        kind=play.kind,
        xp=XpBreakdownPublic(
            base=breakdown.base,
            perfect_bonus=breakdown.perfect_bonus,
            combo_bonus=breakdown.combo_bonus,
            total=breakdown.total,
        ),
        streak=StreakPublic(
            length=state.length,
            extended_today=state.extended_today,
            at_risk=state.at_risk,
            freezes_held=state.freezes_held,
            freezes_used=list(update.freezes_used),
            freezes_earned=update.freezes_earned,
        ),
        daily_goal=DailyGoalPublic(
            goal=goal.goal, xp_today=goal.xp_today, reached=goal.reached, fraction=goal.fraction
        ),
        hearts=hearts_public(hearts, now=now),
        mistakes=play.mistakes,
        best_combo=combo_state(play.results).best,
    )
    play.status = "completed"
    play.completed_at = now
    play.completion = reply.model_dump(mode="json")
    return reply


def _record_lesson_progress(session: Session, *, play: LessonSession, now: datetime) -> None:
    progress = session.scalars(
        select(LessonProgress).where(
            LessonProgress.user_id == play.user_id, LessonProgress.lesson_id == play.lesson_id
        )
    ).one_or_none()
    if progress is None:
        lesson = session.get_one(Lesson, play.lesson_id)
        session.add(
            LessonProgress(
                user_id=play.user_id,
                lesson_id=lesson.id,
                course_id=lesson.course_id,
                times_completed=1,
                first_completed_at=now,
                last_completed_at=now,
            )
        )
    else:
        progress.times_completed += 1
        progress.last_completed_at = now
