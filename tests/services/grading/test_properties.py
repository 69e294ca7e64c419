"""Property tests: grammars accept everything they generate, and grading never crashes."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from app.services.grading import (
    GrammarError,
    TokenStatus,
    VerdictKind,
    grade_text,
    normalise,
)

# Pieces of text a grammar is built from: words, partial words, punctuation,
# contractions, spaces, several scripts, NFD text. None contains "[", "/" or "]".
PIECES = (
    "the",
    " cat",
    "cat ",
    " ",
    "I",
    " 'm",
    "'m",
    "am ",
    " a",
    "boy",
    "gat",
    "o",
    "a",
    "¿Cómo ",
    "estás?",
    " niño",
    "l’homme",
    " don't",
    "-",
    ", ",
    "!",
    "Straße",
    " বিড়াল",
    "খেলছে।",
    "pa\u0301",
    "Hura ",
    "irakaslea",
    " da.",
    "'",
    "’s ",
    "ß",
)


@dataclass(frozen=True)
class Literal:
    text: str


@dataclass(frozen=True)
class Choice:
    options: tuple[tuple[Literal | Choice, ...], ...]


Part = Literal | Choice
Sequence_ = tuple[Part, ...]

literals = st.sampled_from(PIECES).map(Literal)
parts: st.SearchStrategy[Part] = st.recursive(
    literals,
    lambda inner: (
        st.lists(st.lists(inner, max_size=3).map(tuple), min_size=1, max_size=4)
        .map(tuple)
        .map(Choice)
    ),
    max_leaves=12,
)
sequences = st.lists(parts, min_size=1, max_size=6).map(tuple)


def render(sequence: Sequence_) -> str:
    out = []
    for part in sequence:
        if isinstance(part, Literal):
            out.append(part.text)
        else:
            out.append("[" + "/".join(render(option) for option in part.options) + "]")
    return "".join(out)


def sample_path(sequence: Sequence_, data: st.DataObject) -> str:
    out = []
    for part in sequence:
        if isinstance(part, Literal):
            out.append(part.text)
        else:
            option = data.draw(st.integers(0, len(part.options) - 1))
            out.append(sample_path(part.options[option], data))
    return "".join(out)


def compiles(grammar: str) -> bool:
    try:
        grade_text("x", accepted=[grammar], language="en")
    except GrammarError:
        return False
    return True


RELAXED = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


class TestGeneratedAnswers:
    @RELAXED
    @given(sequence=sequences, data=st.data())
    def test_every_string_a_grammar_generates_is_exact(
        self, sequence: Sequence_, data: st.DataObject
    ) -> None:
        grammar = render(sequence)
        assume(compiles(grammar))
        answer = sample_path(sequence, data)
        assume(normalise(answer))  # paths of only punctuation are not answers
        verdict = grade_text(answer, accepted=[grammar], language="en")
        assert verdict.kind is VerdictKind.EXACT, (grammar, answer, verdict)
        assert normalise(verdict.closest) == normalise(answer)

    @RELAXED
    @given(sequence=sequences, data=st.data())
    def test_a_generated_string_is_exact_among_other_accepted_answers(
        self, sequence: Sequence_, data: st.DataObject
    ) -> None:
        grammar = render(sequence)
        assume(compiles(grammar))
        answer = sample_path(sequence, data)
        assume(normalise(answer))
        accepted = ["something else entirely", grammar, "the cat"]
        assert grade_text(answer, accepted=accepted, language="es").kind is VerdictKind.EXACT


class TestArbitraryInput:
    @settings(max_examples=300, deadline=None)
    @given(answer=st.text())
    def test_any_unicode_answer_gets_a_verdict(self, answer: str) -> None:
        accepted = ["I [am/'m] a [boy/child]", "¿Cómo estás?", "বিড়ালটা খেলছে"]
        verdict = grade_text(answer, accepted=accepted, language="en")
        assert verdict.closest
        typed = [t.typed for t in verdict.diff if t.typed is not None]
        assert len(typed) == len(normalise(answer).split())
        if verdict.correct:
            assert {t.status for t in verdict.diff} <= {
                TokenStatus.OK,
                TokenStatus.ACCENT,
                TokenStatus.TYPO,
            }

    @settings(max_examples=200, deadline=None)
    @given(grammar=st.text(max_size=40), answer=st.text(max_size=40))
    def test_any_grammar_either_compiles_or_raises_grammar_error(
        self, grammar: str, answer: str
    ) -> None:
        error: GrammarError | None = None
        try:
            verdict = grade_text(answer, accepted=[grammar], language="de")
        except GrammarError as raised:
            error = raised
        if error is not None:
            assert 0 <= error.position <= len(grammar)
        else:
            assert verdict.kind in set(VerdictKind)

    @settings(max_examples=100, deadline=None)
    @given(answer=st.text(alphabet="abct hé'’ ", max_size=20))
    def test_grading_is_deterministic(self, answer: str) -> None:
        accepted = ["the [cat/hat]", "a [big /]cat", "thé cat"]
        vocabulary = frozenset({"bat", "that"})
        first = grade_text(answer, accepted=accepted, language="fr", vocabulary=vocabulary)
        second = grade_text(answer, accepted=list(accepted), language="fr", vocabulary=vocabulary)
        assert first == second
        assert first.to_dict() == second.to_dict()
