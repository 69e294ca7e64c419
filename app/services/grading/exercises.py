"""One grader per exercise type; each returns a `Verdict`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from app.services.grading.compile import compile_answers
from app.services.grading.match import Tolerance, grade_words
from app.services.grading.normalise import normalise, tokenise
from app.services.grading.verdict import DiffToken, TokenStatus, Verdict, VerdictKind

PAIR_SEPARATOR = " = "
"""How a pair is shown in a match-pairs diff: "left = right"."""


def grade_text(
    answer: str,
    *,
    accepted: Sequence[str],
    language: str,
    vocabulary: frozenset[str] = frozenset(),
) -> Verdict:
    """Judge a typed answer (translate, listen, fill_blank).

    ``accepted`` are strings in the alternatives grammar; ``language`` is the
    answer's BCP 47 tag; ``vocabulary`` holds the course's words, so that typing
    another real word counts as a mistake rather than a typo.
    """
    compiled = compile_answers(accepted, language=language)
    return grade_words(compiled, tokenise(answer), vocabulary=vocabulary)


def grade_word_bank(tiles: Sequence[str], *, accepted: Sequence[str], language: str) -> Verdict:
    """Judge tiles arranged by the learner: exact (after normalising) or wrong."""
    compiled = compile_answers(accepted, language=language)
    return grade_words(compiled, tokenise(" ".join(tiles)), tolerance=Tolerance.EXACT)


def _show_pair(left: str, right: str) -> str:
    return f"{left}{PAIR_SEPARATOR}{right}"


def grade_match_pairs(
    given: Sequence[tuple[str, str]], *, expected: Sequence[tuple[str, str]]
) -> Verdict:
    """Judge matched pairs, in any order. The diff has one token per pair shown "left = right".

    A given pair that is not expected is "wrong" (with the expected pair for its
    left side when there is one, else "extra"); an expected pair nobody gave is "missing".
    """

    def key(pair: tuple[str, str]) -> tuple[str, str]:
        return normalise(pair[0]), normalise(pair[1])

    unmatched = Counter(key(pair) for pair in expected)
    # Expected pairs by left side, to tell the learner what a wrong pair should have been.
    expected_by_left: dict[str, list[tuple[str, str]]] = {}
    for pair in expected:
        expected_by_left.setdefault(key(pair)[0], []).append(pair)
    diff: list[DiffToken] = []
    wrong: list[tuple[str, str]] = []
    for pair in given:
        if unmatched[key(pair)] > 0:
            unmatched[key(pair)] -= 1
            diff.append(DiffToken(_show_pair(*pair), _show_pair(*pair), TokenStatus.OK))
        else:
            wrong.append(pair)
    for pair in wrong:
        candidates = [
            option for option in expected_by_left.get(key(pair)[0], []) if unmatched[key(option)]
        ]
        if candidates:
            unmatched[key(candidates[0])] -= 1
            diff.append(DiffToken(_show_pair(*pair), _show_pair(*candidates[0]), TokenStatus.WRONG))
        else:
            diff.append(DiffToken(_show_pair(*pair), None, TokenStatus.EXTRA))
    for pair in expected:
        if unmatched[key(pair)] > 0:
            unmatched[key(pair)] -= 1
            diff.append(DiffToken(None, _show_pair(*pair), TokenStatus.MISSING))
    correct = all(token.status is TokenStatus.OK for token in diff)
    return Verdict(
        correct=correct,
        kind=VerdictKind.EXACT if correct else VerdictKind.WRONG,
        closest="; ".join(_show_pair(*pair) for pair in expected),
        diff=tuple(diff),
    )


def grade_multiple_choice(chosen: int, *, options: Sequence[str], correct: int) -> Verdict:
    """Judge a chosen option index; an index outside the options is simply wrong.

    Raises ValueError if ``correct`` is not an index of ``options`` (an authoring error).
    """
    if not 0 <= correct < len(options):
        raise ValueError(f"correct option {correct} is not one of {len(options)} options")
    expected = options[correct]
    typed = options[chosen] if 0 <= chosen < len(options) else None
    is_correct = chosen == correct
    return Verdict(
        correct=is_correct,
        kind=VerdictKind.EXACT if is_correct else VerdictKind.WRONG,
        closest=expected,
        diff=(DiffToken(typed, expected, TokenStatus.OK if is_correct else TokenStatus.WRONG),),
    )
