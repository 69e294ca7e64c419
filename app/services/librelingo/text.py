"""Small text helpers: comparison keys, the alternatives grammar, tiles, stable hashes.

The full grammar matcher lives in app.services.grading; this module only needs
enough of the grammar to check brackets, show the first reading and compare
distractors, so it stays dependency-free.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache
from itertools import islice, product

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'"})
_SLUG_UNSAFE = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=65536)
def normalise(text: str) -> str:
    """A comparison key: NFC, casefold, punctuation dropped, whitespace collapsed."""
    text = unicodedata.normalize("NFC", text).translate(_APOSTROPHES).casefold()
    kept = []
    for index, char in enumerate(text):
        if unicodedata.category(char).startswith("P"):
            # Keep apostrophes inside words ("it's"), drop every other punctuation mark.
            inside = 0 < index < len(text) - 1 and text[index - 1].isalnum()
            if char == "'" and inside and text[index + 1].isalnum():
                kept.append(char)
            else:
                kept.append(" ")
        else:
            kept.append(char)
    return " ".join("".join(kept).split())


def unbalanced_bracket(text: str) -> int | None:
    """Index of the first `[`/`]` that has no partner, or None when balanced."""
    opened: list[int] = []
    for index, char in enumerate(text):
        if char == "[":
            opened.append(index)
        elif char == "]":
            if not opened:
                return index
            opened.pop()
    return opened[0] if opened else None


# A parsed grammar string: text pieces and groups; a group is a list of alternatives.
_Part = str | list[list["_Part"]]


def _parse(text: str, start: int, *, nested: bool) -> tuple[list[_Part], int]:
    parts: list[_Part] = []
    buffer: list[str] = []
    index = start
    while index < len(text):
        char = text[index]
        if char == "[":
            if buffer:
                parts.append("".join(buffer))
                buffer = []
            group: list[list[_Part]] = []
            index += 1
            while True:
                alternative, index = _parse(text, index, nested=True)
                group.append(alternative)
                if index >= len(text) or text[index] == "]":
                    index += 1
                    break
                index += 1  # skip "/"
            parts.append(group)
            continue
        if nested and char in "/]":
            break
        buffer.append(char)
        index += 1
    if buffer:
        parts.append("".join(buffer))
    return parts, index


def _expand(parts: list[_Part], limit: int) -> list[str]:
    results = [""]
    for part in parts:
        if isinstance(part, str):
            results = [result + part for result in results]
            continue
        options: list[str] = []
        for alternative in part:
            options.extend(_expand(alternative, limit))
        # islice keeps pathological grammars from growing past `limit` readings.
        results = ["".join(pair) for pair in islice(product(results, options[:limit]), limit)]
    return results


def variants(text: str, *, limit: int = 64) -> list[str]:
    """The readings of a grammar string (at most `limit`; the first is the main one)."""
    if "[" not in text:
        return [text]
    parts, _ = _parse(text, 0, nested=False)
    return [" ".join(reading.split()) for reading in _expand(parts, limit)]


def first_variant(text: str) -> str:
    """What to show a learner: the first reading, or the text itself when it has no grammar."""
    return variants(text, limit=1)[0]


def comparison_keys(texts: tuple[str, ...] | list[str]) -> frozenset[str]:
    """Normalised readings of several grammar strings, for "is this the same answer?"."""
    return frozenset(normalise(reading) for text in texts for reading in variants(text))


def tiles(text: str) -> list[str]:
    """Words of a sentence for a word bank, with surrounding punctuation removed."""
    words = []
    for raw in text.split():
        word = _strip_punctuation(raw)
        if word:
            words.append(word)
    return words


def _strip_punctuation(word: str) -> str:
    start, end = 0, len(word)
    # Leading combining marks have no letter to sit on; they go with the punctuation.
    while start < end and (_is_edge_mark(word[start]) or unicodedata.combining(word[start])):
        start += 1
    while end > start and _is_edge_mark(word[end - 1]):
        end -= 1
    return word[start:end]


def _is_edge_mark(char: str) -> bool:
    return unicodedata.category(char)[0] in "PS"


def stable_int(*parts: str) -> int:
    """A hash that is the same in every process and Python version (unlike hash())."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big")


def short_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]


def slugify(text: str) -> str:
    """A file-name-safe slug ("Basics 1" -> "basics-1"), for specs built by hand."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _SLUG_UNSAFE.sub("-", ascii_text.lower()).strip("-")
    return slug or "x-" + short_digest(text)
