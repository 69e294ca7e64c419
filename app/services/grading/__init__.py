"""Answer grading: a pure engine over plain data (stdlib + rapidfuzz, no I/O).

See docs/grading.md for the rules, the grammar and the limits.
"""

from app.services.grading.compile import MAX_ACCEPTED_ANSWERS, CompiledAnswers, compile_answers
from app.services.grading.exercises import (
    grade_match_pairs,
    grade_multiple_choice,
    grade_text,
    grade_word_bank,
)
from app.services.grading.grammar import (
    MAX_GRAMMAR_LENGTH,
    MAX_NESTING,
    MAX_WORD_EDGES,
    GrammarError,
    validate_grammar,
)
from app.services.grading.match import MAX_DIFF_WORDS, WORDS_PER_TYPO, Tolerance, grade_words
from app.services.grading.normalise import normalise
from app.services.grading.verdict import DiffToken, TokenStatus, Verdict, VerdictKind

__all__ = [
    "MAX_ACCEPTED_ANSWERS",
    "MAX_DIFF_WORDS",
    "MAX_GRAMMAR_LENGTH",
    "MAX_NESTING",
    "MAX_WORD_EDGES",
    "WORDS_PER_TYPO",
    "CompiledAnswers",
    "DiffToken",
    "GrammarError",
    "TokenStatus",
    "Tolerance",
    "Verdict",
    "VerdictKind",
    "compile_answers",
    "grade_match_pairs",
    "grade_multiple_choice",
    "grade_text",
    "grade_word_bank",
    "grade_words",
    "normalise",
    "validate_grammar",
]
