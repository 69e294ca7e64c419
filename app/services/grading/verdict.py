"""What grading returns: a verdict that explains itself, and its word-level diff."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class VerdictKind(StrEnum):
    EXACT = "exact"
    ACCENT = "accent"
    """Correct, but some accents (or ß/ss, æ/ae…) differ."""
    TYPO = "typo"
    """Correct, with small slips marked in the diff."""
    WRONG = "wrong"


class TokenStatus(StrEnum):
    OK = "ok"
    ACCENT = "accent"
    TYPO = "typo"
    WRONG = "wrong"
    """Typed instead of the expected word."""
    MISSING = "missing"
    """Expected but not typed."""
    EXTRA = "extra"
    """Typed but not expected."""


@dataclass(frozen=True, slots=True)
class DiffToken:
    """One step of the alignment between the answer and the closest accepted answer."""

    typed: str | None
    """What the learner typed, as typed; None for a missing word."""
    expected: str | None
    """The accepted word as the author wrote it; None for an extra word."""
    status: TokenStatus

    def to_dict(self) -> dict[str, str | None]:
        return {"typed": self.typed, "expected": self.expected, "status": self.status.value}


@dataclass(frozen=True, slots=True)
class Verdict:
    correct: bool
    kind: VerdictKind
    closest: str
    """The closest accepted answer, with the author's casing and punctuation."""
    diff: tuple[DiffToken, ...]

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-able data."""
        return {
            "correct": self.correct,
            "kind": self.kind.value,
            "closest": self.closest,
            "diff": [token.to_dict() for token in self.diff],
        }
