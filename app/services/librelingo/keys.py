"""Stable keys for items and exercises.

Keys are derived from content, never from positions or random numbers, so a
re-import of an edited course keeps the keys (and learners' progress) of
everything that did not change.
"""

from __future__ import annotations

import unicodedata

from .specs import ItemKind
from .text import short_digest


def item_key(*, lesson_key: str, kind: ItemKind, text: str, occurrence: int = 1) -> str:
    """`<lesson key>/<kind>/<10 hex of sha256(NFC text)>`, plus `~<n>` for the n-th duplicate.

    NFC makes a composed and a decomposed spelling of the same text one item.
    """
    digest = short_digest(unicodedata.normalize("NFC", text))
    key = f"{lesson_key}/{kind}/{digest}"
    return key if occurrence == 1 else f"{key}~{occurrence}"


def exercise_key(*, owner_key: str, kind: str) -> str:
    """`<item key>/<kind>` (or `<lesson key>/<kind>` for lesson-wide exercises)."""
    return f"{owner_key}/{kind}"
