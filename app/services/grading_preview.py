"""Grading preview for authors: validate their accepted answers, then judge an answer."""

from __future__ import annotations

from collections.abc import Sequence

from app.core.errors import Unprocessable
from app.services.grading import GrammarError, Verdict, grade_text, validate_grammar


class MalformedGrammar(Unprocessable):
    code = "malformed_grammar"


def check_grammar(accepted: Sequence[str], *, field: str = "accepted") -> None:
    """Raise MalformedGrammar naming the answer and the character position."""
    for index, text in enumerate(accepted):
        try:
            validate_grammar(text)
        except GrammarError as error:
            raise MalformedGrammar(
                f"{field}.{index}: {error.message} (at character {error.position + 1})",
                details=[
                    {
                        "field": f"{field}.{index}",
                        "position": error.position,
                        "message": error.message,
                    }
                ],
            ) from error


def preview(
    *, accepted: Sequence[str], answer: str, language: str, vocabulary: Sequence[str] = ()
) -> Verdict:
    check_grammar(accepted)
    return grade_text(
        answer, accepted=accepted, language=language, vocabulary=frozenset(vocabulary)
    )
