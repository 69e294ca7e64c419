"""Align a learner's words with the word graph of the accepted answers.

Three passes, each only when the one before found nothing:

1. exact walk: follow edges whose word equals the typed word;
2. same-length alignment (Viterbi over graph node × typed word): every typed
   word must be an accent variant or a typo of its graph word;
3. word-level edit distance over the graph, for the closest answer and the diff
   of a wrong answer (extra and missing words allowed).

Path costs are one integer whose bit fields order them lexicographically:
errors, then typos, then missing apostrophes, then accents, then words taken
from accepted answers other than the first. The cheapest path is the most
generous reading of the answer, shown as the first-listed answer on ties.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

from rapidfuzz.distance import OSA

from app.services.grading.compile import CompiledAnswers, is_swap_typo, shortlist
from app.services.grading.normalise import (
    APOSTROPHE,
    AnswerWord,
    accent_keys,
    strip_quotes,
    tokenise,
)
from app.services.grading.verdict import DiffToken, TokenStatus, Verdict, VerdictKind

# Path cost bit fields, least significant first (13 bits = 8191 per field).
_FIELD_BITS = 13
_FIELD = (1 << _FIELD_BITS) - 1
_DETOUR = 1
_ACCENT = 1 << _FIELD_BITS
_APOSTROPHE = 1 << 2 * _FIELD_BITS
_TYPO = 1 << 3 * _FIELD_BITS
_ERROR = 1 << 4 * _FIELD_BITS
_UNREACHED = 1 << 10 * _FIELD_BITS
_STATUS_OF_COST = {
    0: TokenStatus.OK,
    _ACCENT: TokenStatus.ACCENT,
    _APOSTROPHE: TokenStatus.TYPO,
    _TYPO: TokenStatus.TYPO,
    _ERROR: TokenStatus.WRONG,
}

WORDS_PER_TYPO = 4
"""One typo is forgiven per this many words (and always at least one)."""
LARGE_GRAPH_NODES = 2_000
"""Above this size a wrong answer is aligned with a shortlist of accepted answers only."""
MAX_DIFF_WORDS = 200
"""Words of a wrong answer aligned for the diff; any beyond are marked extra."""


def typo_limit(word_count: int) -> int:
    return max(1, word_count // WORDS_PER_TYPO)


class Tolerance(Enum):
    FULL = "full"
    """Accents, typos and missing apostrophes are forgiven (typed answers)."""
    EXACT = "exact"
    """Only the normaliser's leniency (case, punctuation): tiles can't have typos."""


@lru_cache(maxsize=32)
def _vocabulary_forms(vocabulary: frozenset[str], language: str) -> tuple[frozenset[str], ...]:
    words = {answer_word.word for entry in vocabulary for answer_word in tokenise(entry)}
    folded = {key for word in words for key in accent_keys(word, language)}
    return frozenset(words), frozenset(folded)


class _WordJudge:
    """How a typed word relates to each graph word, as a path cost; memoised."""

    def __init__(
        self,
        compiled: CompiledAnswers,
        answer: Sequence[AnswerWord],
        vocabulary: frozenset[str],
        tolerance: Tolerance,
        *,
        known_words: CompiledAnswers | None = None,
    ) -> None:
        self.compiled = compiled
        # Words of the whole exercise count as real words even when aligning a shortlist.
        self.known_words = known_words or compiled
        self.answer = answer
        self.tolerance = tolerance
        self.vocabulary_words, self.vocabulary_folded = _vocabulary_forms(
            vocabulary, compiled.language
        )
        self._costs: list[dict[int, int]] = [{} for _ in answer]
        self._real: dict[int, bool] = {}

    def cost(self, index: int, word_id: int) -> int:
        costs = self._costs[index]
        cost = costs.get(word_id)
        if cost is None:
            cost = costs[word_id] = self._judge(index, word_id)
        return cost

    def _judge(self, index: int, word_id: int) -> int:
        typed = self.answer[index].word
        info = self.compiled.words[word_id]
        if typed == info.word:
            return 0
        if self.tolerance is Tolerance.EXACT:
            return _ERROR
        typed_keys = accent_keys(typed, self.compiled.language)
        if any(key in info.accent_keys for key in typed_keys):
            return _ACCENT
        # "car" for "cat" is a different word, not a slip of the finger.
        if self._is_real_word(index, typed_keys):
            return _ERROR
        typed_bare = typed_keys[0].replace(APOSTROPHE, "")
        if typed_bare == info.bare:
            return _APOSTROPHE
        budget = info.typo_budget
        if budget and OSA.distance(typed_bare, info.bare, score_cutoff=budget) <= budget:
            return _TYPO
        if not budget and is_swap_typo(typed_bare, info.bare):
            return _TYPO
        return _ERROR

    def _is_real_word(self, index: int, typed_keys: tuple[str, ...]) -> bool:
        known = self._real.get(index)
        if known is None:
            typed = self.answer[index].word
            known = (
                typed in self.known_words.word_ids
                or typed in self.vocabulary_words
                or any(
                    key in self.known_words.folded_words or key in self.vocabulary_folded
                    for key in typed_keys
                )
            )
            self._real[index] = known
        return known


@dataclass(frozen=True, slots=True)
class _Step:
    typed_index: int | None
    edge: tuple[int, int, int] | None
    """(source, word id, target); None for an extra word."""
    status: TokenStatus


@dataclass(frozen=True, slots=True)
class _Alignment:
    steps: tuple[_Step, ...]
    final: int
    cost: int


def _walk_exact(compiled: CompiledAnswers, answer: Sequence[AnswerWord]) -> _Alignment | None:
    word_ids: list[int] = []
    for word in answer:
        word_id = compiled.word_ids.get(word.word)
        if word_id is None:
            return None
        word_ids.append(word_id)
    frontier: dict[int, int] = {0: -1}
    history: list[dict[int, int]] = []
    for word_id in word_ids:
        reached: dict[int, int] = {}
        for node in frontier:
            for target in compiled.next_by_word[node].get(word_id, ()):
                reached.setdefault(target, node)
        if not reached:
            return None
        history.append(reached)
        frontier = reached
    final = next((node for node in frontier if node in compiled.finals), None)
    if final is None:
        return None
    steps: list[_Step] = []
    node = final
    for index in range(len(history) - 1, -1, -1):
        source = history[index][node]
        steps.append(_Step(index, (source, word_ids[index], node), TokenStatus.OK))
        node = source
    steps.reverse()
    return _Alignment(tuple(steps), final, 0)


def _align_same_length(compiled: CompiledAnswers, judge: _WordJudge) -> _Alignment | None:
    """Cheapest path with one graph word per typed word, none of them wrong."""
    frontier: dict[int, int] = {0: 0}
    history: list[dict[int, tuple[int, int, int]]] = []
    for index in range(len(judge.answer)):
        costs: dict[int, int] = {}
        back: dict[int, tuple[int, int, int]] = {}
        for node, cost_so_far in frontier.items():
            for word_id, target, detour in compiled.out_edges[node]:
                word_cost = judge.cost(index, word_id)
                if word_cost >= _ERROR:
                    continue
                total = cost_so_far + word_cost + detour
                if total < costs.get(target, _UNREACHED):
                    costs[target] = total
                    back[target] = (node, word_id, word_cost)
        if not costs:
            return None
        history.append(back)
        frontier = costs
    best: tuple[int, int] | None = None
    for node, cost in frontier.items():
        if node in compiled.finals and (best is None or cost < best[1]):
            best = (node, cost)
    if best is None:
        return None
    final, total = best
    steps: list[_Step] = []
    node = final
    for index in range(len(history) - 1, -1, -1):
        source, word_id, word_cost = history[index][node]
        steps.append(_Step(index, (source, word_id, node), _STATUS_OF_COST[word_cost]))
        node = source
    steps.reverse()
    return _Alignment(tuple(steps), final, total)


def _align_with_edits(compiled: CompiledAnswers, judge: _WordJudge, typed_count: int) -> _Alignment:
    """Word-level edit distance between the first ``typed_count`` words and any path."""
    cells = typed_count + 1
    best: list[list[int] | None] = [None] * compiled.node_count
    # Per cell: (previous node, previous typed index, word id or -1 for an extra word).
    back: list[list[tuple[int, int, int] | None] | None] = [None] * compiled.node_count
    start_row = [_UNREACHED] * cells
    start_row[0] = 0
    best[0] = start_row
    back[0] = [None] * cells
    substitution_costs: dict[int, list[int]] = {}
    for node in range(compiled.node_count):
        row = best[node]
        row_back = back[node]
        if row is None or row_back is None:
            continue
        for index in range(typed_count):
            extra = row[index] + _ERROR
            if extra < row[index + 1]:
                row[index + 1] = extra
                row_back[index + 1] = (node, index, -1)
        for word_id, target, detour in compiled.out_edges[node]:
            target_row = best[target]
            target_back = back[target]
            if target_row is None or target_back is None:
                target_row = best[target] = [_UNREACHED] * cells
                target_back = back[target] = [None] * cells
            substitution = substitution_costs.get(word_id)
            if substitution is None:
                substitution = [judge.cost(index, word_id) for index in range(typed_count)]
                substitution_costs[word_id] = substitution
            for index in range(cells):
                cost = row[index]
                if cost >= _UNREACHED:
                    continue
                cost += detour
                missing = cost + _ERROR
                if missing < target_row[index]:
                    target_row[index] = missing
                    target_back[index] = (node, index, word_id)
                if index < typed_count:
                    replaced = cost + substitution[index]
                    if replaced < target_row[index + 1]:
                        target_row[index + 1] = replaced
                        target_back[index + 1] = (node, index, word_id)
    final, total = 0, _UNREACHED
    for node in compiled.finals:
        row = best[node]
        if row is not None and row[typed_count] < total:
            final, total = node, row[typed_count]
    steps: list[_Step] = []
    node, index = final, typed_count
    while True:
        row_back = back[node]
        assert row_back is not None
        link = row_back[index]
        if link is None:
            break
        source, source_index, word_id = link
        if word_id < 0:
            steps.append(_Step(source_index, None, TokenStatus.EXTRA))
        elif source_index == index:
            steps.append(_Step(None, (source, word_id, node), TokenStatus.MISSING))
        else:
            status = _STATUS_OF_COST[substitution_costs[word_id][source_index]]
            steps.append(_Step(source_index, (source, word_id, node), status))
        node, index = source, source_index
    steps.reverse()
    return _Alignment(tuple(steps), final, total)


def _render(compiled: CompiledAnswers, alignment: _Alignment) -> str:
    parts: list[str] = []
    for step in alignment.steps:
        if step.edge is not None:
            parts.extend(compiled.edge_text[step.edge])
    parts.append(compiled.finals[alignment.final])
    text = " ".join("".join(parts).split())
    return unicodedata.normalize("NFC", text)


def _verdict(
    compiled: CompiledAnswers,
    answer: Sequence[AnswerWord],
    alignment: _Alignment,
    kind: VerdictKind,
    unaligned: Sequence[AnswerWord] = (),
) -> Verdict:
    diff: list[DiffToken] = []
    for step in alignment.steps:
        typed = None if step.typed_index is None else answer[step.typed_index].typed
        # Quotes around a word belong to the sentence, not to the word.
        expected = None if step.edge is None else strip_quotes(compiled.edge_text[step.edge][1])
        diff.append(DiffToken(typed=typed, expected=expected, status=step.status))
    diff.extend(DiffToken(word.typed, None, TokenStatus.EXTRA) for word in unaligned)
    return Verdict(
        correct=kind is not VerdictKind.WRONG,
        kind=kind,
        closest=_render(compiled, alignment),
        diff=tuple(diff),
    )


def grade_words(
    compiled: CompiledAnswers,
    answer: Sequence[AnswerWord],
    *,
    vocabulary: frozenset[str] = frozenset(),
    tolerance: Tolerance = Tolerance.FULL,
) -> Verdict:
    """Judge tokenised answer words against compiled accepted answers."""
    exact = _walk_exact(compiled, answer)
    if exact is not None:
        return _verdict(compiled, answer, exact, VerdictKind.EXACT)
    judge = _WordJudge(compiled, answer, vocabulary, tolerance)
    if tolerance is Tolerance.FULL and answer:
        close = _align_same_length(compiled, judge)
        if close is not None:
            typos = close.cost // _TYPO & _FIELD
            if typos > typo_limit(len(answer)):
                return _verdict(compiled, answer, close, VerdictKind.WRONG)
            missing_apostrophes = close.cost // _APOSTROPHE & _FIELD
            kind = VerdictKind.TYPO if typos or missing_apostrophes else VerdictKind.ACCENT
            return _verdict(compiled, answer, close, kind)
    if compiled.node_count > LARGE_GRAPH_NODES:
        folded_typed = frozenset(accent_keys(word.word, compiled.language)[0] for word in answer)
        compiled = shortlist(compiled, folded_typed)
        judge = _WordJudge(compiled, answer, vocabulary, tolerance, known_words=judge.known_words)
    aligned_count = min(len(answer), MAX_DIFF_WORDS)
    closest = _align_with_edits(compiled, judge, aligned_count)
    return _verdict(compiled, answer, closest, VerdictKind.WRONG, answer[aligned_count:])
