"""Text normalisation shared by learners' answers and accepted-answer grammars.

Both sides go through the same two steps, so a path through a grammar and the
same text typed by a learner always give the same words:

1. *Split*: every separator (whitespace, punctuation, symbols, control
   characters) ends a word. Apostrophe-like characters are not separators.
2. *Clean* each raw word: NFC, drop invisible format characters, casefold
   (keeping ß so that ß→ss stays an accent-level difference), fold typographic
   apostrophes to ``'``, strip apostrophes at the edges of the word.

A word written as an apostrophe and one to three letters (``'m``, ``'s``,
``'re``, ``'ll``) is a contraction: it attaches to the word before it, so
``I 'm`` and ``I'm`` are the same answer.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

APOSTROPHE = "'"
# ' ’ ‘ ʼ ` ´ ＇ — all typed as apostrophes by someone, somewhere.
_APOSTROPHE_LIKE = frozenset("'\u2019\u2018\u02bc`\u00b4\uff07")
_CONTRACTION_MAX_LETTERS = 3
_APOSTROPHE_RUN = re.compile("'{2,}")
_WORD_SPAN = re.compile(r"\S+")

# Code point ranges of scripts whose combining marks are accents (Latin, Greek,
# Cyrillic). In Bangla, Devanagari and friends the marks are vowel signs and
# viramas — letters in their own right — so they are never stripped.
_ACCENTED_SCRIPT_RANGES = (
    (0x0000, 0x024F),  # Basic Latin … Latin Extended-B
    (0x0370, 0x03FF),  # Greek
    (0x0400, 0x052F),  # Cyrillic and its supplement
    (0x1C80, 0x1C8F),  # Cyrillic Extended-C
    (0x1E00, 0x1EFF),  # Latin Extended Additional (Vietnamese)
    (0x1F00, 0x1FFF),  # Greek Extended
    (0x2C60, 0x2C7F),  # Latin Extended-C
    (0x2DE0, 0x2DFF),  # Cyrillic Extended-A
    (0xA640, 0xA69F),  # Cyrillic Extended-B
    (0xA720, 0xA7FF),  # Latin Extended-D
    (0xAB30, 0xAB6F),  # Latin Extended-E
)
# Letters with no decomposition that learners commonly type without the stroke.
_LETTER_FOLDS = str.maketrans(
    {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ı": "i"}
)
# German also writes umlauts as a following e (Müller = Mueller).
_GERMAN_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})


@lru_cache(maxsize=8_192)
def is_separator(char: str) -> bool:
    """Whether a character ends a word (whitespace, punctuation, symbol, control)."""
    # A few characters compose to a different one (U+1FEF GREEK VARIA → "`");
    # judge the composed form, as answers are composed before they are split.
    composed = unicodedata.normalize("NFC", char)
    if len(composed) == 1:
        char = composed
    if char in _APOSTROPHE_LIKE:
        return False
    if char.isspace():
        return True
    category = unicodedata.category(char)
    return category[0] in "PSZ" or category == "Cc"


class _SeparatorsToSpace(dict[int, str]):
    """A `str.translate` table, filled lazily, that turns every separator into a space."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        replacement = " " if is_separator(char) else char
        self[code] = replacement
        return replacement


_SEPARATORS_TO_SPACE = _SeparatorsToSpace()


def _casefold_keeping_sharp_s(text: str) -> str:
    # casefold() turns ß into ss, which would make "Straße" and "strasse" an
    # exact match; we want that to be an accent-level difference instead.
    if "ß" not in text and "ẞ" not in text:
        return text.casefold()
    return "ß".join(part.casefold() for part in text.replace("ẞ", "ß").split("ß"))


def _is_contraction(word: str) -> bool:
    rest = word[1:]
    return (
        word.startswith(APOSTROPHE)
        and 1 <= len(rest) <= _CONTRACTION_MAX_LETTERS
        and all(char.isalpha() or unicodedata.category(char)[0] == "M" for char in rest)
    )


@lru_cache(maxsize=65_536)
def clean_word(raw: str) -> str:
    """Normalise one raw word (no separators inside).

    Returns "" for words made only of apostrophes or invisible characters, and
    keeps the leading apostrophe of a contraction (``'m``) so the caller can
    attach it to the previous word.
    """
    text = unicodedata.normalize("NFC", raw)
    text = "".join(char for char in text if unicodedata.category(char) != "Cf")
    text = unicodedata.normalize("NFC", _casefold_keeping_sharp_s(text))
    # After casefold: "ŉ" casefolds to "ʼn", which holds an apostrophe-like.
    text = "".join(APOSTROPHE if char in _APOSTROPHE_LIKE else char for char in text)
    text = _APOSTROPHE_RUN.sub(APOSTROPHE, text)
    if _is_contraction(text):
        return text
    return text.strip(APOSTROPHE)


def is_contraction_word(word: str) -> bool:
    """Whether a cleaned word is a contraction waiting to attach to the word before."""
    return word.startswith(APOSTROPHE)


@dataclass(frozen=True, slots=True)
class AnswerWord:
    """One normalised word of a learner's answer and the text they typed for it."""

    word: str
    typed: str


@dataclass(frozen=True, slots=True)
class WordSpan:
    """A normalised word located in the composed (NFC) text it came from."""

    word: str
    start: int
    end: int
    written: str
    """The word as written, a contraction joined without the space ("I 'm" → "I'm")."""


def split_words(composed: str) -> list[WordSpan]:
    """Split an NFC text into normalised words, attaching contractions to the word before."""
    words: list[WordSpan] = []
    for span in _WORD_SPAN.finditer(composed.translate(_SEPARATORS_TO_SPACE)):
        raw = span.group()
        word = clean_word(raw)
        if not word:
            continue
        if is_contraction_word(word):
            if words:
                before = words[-1]
                words[-1] = WordSpan(
                    before.word + word, before.start, span.end(), before.written + raw
                )
                continue
            word = word.lstrip(APOSTROPHE)
        words.append(WordSpan(word, span.start(), span.end(), raw))
    return words


def tokenise(text: str) -> list[AnswerWord]:
    """Split a learner's answer into normalised words, keeping what they typed."""
    composed = unicodedata.normalize("NFC", text)
    return [
        AnswerWord(span.word, composed[span.start : span.end]) for span in split_words(composed)
    ]


def strip_quotes(text: str) -> str:
    """Remove apostrophe-like characters around a word as written ("'hello'" → "hello")."""
    return text.strip("".join(_APOSTROPHE_LIKE))


def normalise(text: str) -> str:
    """The normalised form of a text: the words grading compares, joined by spaces.

    >>> normalise("¿Cómo  estás?")
    'cómo estás'
    >>> normalise("I ’m here!")
    "i'm here"
    """
    return " ".join(word.word for word in tokenise(text))


def _in_accented_script(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _ACCENTED_SCRIPT_RANGES)


def _strip_accents(word: str) -> str:
    if word.isascii():
        return word
    stripped: list[str] = []
    base_is_accented_script = False
    for char in unicodedata.normalize("NFD", word):
        if unicodedata.category(char) == "Mn":
            if base_is_accented_script:
                continue
        else:
            base_is_accented_script = _in_accented_script(char)
        stripped.append(char)
    return unicodedata.normalize("NFC", "".join(stripped)).translate(_LETTER_FOLDS)


def primary_language(language: str) -> str:
    """The primary subtag of a BCP 47 tag, lower case: "de-AT" → "de"."""
    return language.replace("_", "-").split("-", 1)[0].lower()


@lru_cache(maxsize=65_536)
def accent_keys(word: str, language: str) -> tuple[str, ...]:
    """Forms of a normalised word with accents folded; two words sharing one differ only in accents.

    ``language`` is a primary subtag (see `primary_language`).
    """
    keys = [_strip_accents(word)]
    if language == "de":
        transliterated = _strip_accents(word.translate(_GERMAN_UMLAUTS))
        if transliterated != keys[0]:
            keys.append(transliterated)
    return tuple(keys)


def letter_count(word: str) -> int:
    """Letters in a word, not counting combining marks or apostrophes.

    Used to size typo tolerance, so Bangla vowel signs don't make a short word look long.
    """
    return sum(1 for char in word if char != APOSTROPHE and unicodedata.category(char)[0] != "M")
