"""Exercise payloads: the full typed payloads (answers included) and the learner views.

Field shapes are exactly those of the LibreLingo generator
(app/services/librelingo/exercises.py). ``ExercisePayload`` validates a payload
on write; ``public_payload()`` strips everything that would give the answer
away before an exercise reaches a learner.

The ``accepted`` lists use the alternatives grammar; their grammar is checked by
``app.services.courses.check_payload_grammar`` (it needs the grading engine and
reports the position of the problem), not here.
"""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Any, Literal

from pydantic import Field, TypeAdapter, model_validator

from app.schemas.base import RequestModel, ResponseModel
from app.services.librelingo.text import first_variant, normalise, stable_int, tiles

BLANK = "___"
LANGUAGE_PATTERN = r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$"

Text = Annotated[str, Field(min_length=1, max_length=2000)]
LanguageCode = Annotated[str, Field(pattern=LANGUAGE_PATTERN, max_length=35, examples=["es"])]
Accepted = Annotated[list[Text], Field(min_length=1, max_length=200)]


def _distinct(texts: list[str], *, what: str) -> None:
    seen: set[str] = set()
    for text in texts:
        key = normalise(text)
        if key in seen:
            raise ValueError(f"{what} '{text}' appears twice")
        seen.add(key)


# -- full payloads (what authors write and the server grades against) -------------------


class TranslatePayload(RequestModel):
    type: Literal["translate"]
    prompt: Text
    prompt_language: LanguageCode
    answer_language: LanguageCode
    accepted: Accepted


class Option(RequestModel):
    text: Text
    image: str | None = None


class MultipleChoicePayload(RequestModel):
    type: Literal["multiple_choice"]
    prompt: Text
    options: list[Option] = Field(min_length=2, max_length=8)
    correct_index: int = Field(ge=0)

    @model_validator(mode="after")
    def _check_options(self) -> MultipleChoicePayload:
        if self.correct_index >= len(self.options):
            raise ValueError(
                f"correct_index {self.correct_index} is out of range for "
                f"{len(self.options)} options"
            )
        _distinct([option.text for option in self.options], what="option")
        return self


class WordBankPayload(RequestModel):
    type: Literal["word_bank"]
    prompt: Text
    prompt_language: LanguageCode
    answer_language: LanguageCode
    tiles: list[Text] = Field(min_length=2, max_length=40)
    accepted: Accepted

    @model_validator(mode="after")
    def _tiles_build_the_answer(self) -> WordBankPayload:
        needed = Counter(normalise(word) for word in tiles(first_variant(self.accepted[0])))
        available = Counter(normalise(tile) for tile in self.tiles)
        missing = needed - available
        if missing:
            raise ValueError(
                "the tiles cannot build the first accepted answer; missing: "
                + ", ".join(sorted(missing))
            )
        return self


class Pair(RequestModel):
    left: Text
    right: Text


class MatchPairsPayload(RequestModel):
    type: Literal["match_pairs"]
    pairs: list[Pair] = Field(min_length=2, max_length=10)

    @model_validator(mode="after")
    def _sides_are_distinct(self) -> MatchPairsPayload:
        _distinct([pair.left for pair in self.pairs], what="left side")
        _distinct([pair.right for pair in self.pairs], what="right side")
        return self


class FillBlankPayload(RequestModel):
    type: Literal["fill_blank"]
    prompt: Text
    accepted: Accepted
    translation: str = Field(default="", max_length=2000)

    @model_validator(mode="after")
    def _one_blank(self) -> FillBlankPayload:
        if self.prompt.count(BLANK) != 1:
            raise ValueError(f"the prompt must contain the blank '{BLANK}' exactly once")
        return self


class ListenPayload(RequestModel):
    type: Literal["listen"]
    text: Text
    language: LanguageCode
    accepted: Accepted


ExercisePayload = Annotated[
    TranslatePayload
    | MultipleChoicePayload
    | WordBankPayload
    | MatchPairsPayload
    | FillBlankPayload
    | ListenPayload,
    Field(discriminator="type"),
]
payload_adapter: TypeAdapter[ExercisePayload] = TypeAdapter(ExercisePayload)

# Payload fields written in the alternatives grammar.
GRAMMAR_FIELDS = ("accepted",)


# -- learner views: never an answer --------------------------------------------------------


class PublicTranslate(ResponseModel):
    type: Literal["translate"]
    prompt: str
    prompt_language: str
    answer_language: str


class PublicOption(ResponseModel):
    text: str
    image: str | None = None


class PublicMultipleChoice(ResponseModel):
    type: Literal["multiple_choice"]
    prompt: str
    options: list[PublicOption]


class PublicWordBank(ResponseModel):
    type: Literal["word_bank"]
    prompt: str
    prompt_language: str
    answer_language: str
    tiles: list[str]


class PublicMatchPairs(ResponseModel):
    """Both sides, each in its own stable shuffled order: the pairing is the answer."""

    type: Literal["match_pairs"]
    left: list[str]
    right: list[str]


class PublicFillBlank(ResponseModel):
    type: Literal["fill_blank"]
    prompt: str
    translation: str


class PublicListen(ResponseModel):
    """``text`` is what the client speaks aloud (browser speech synthesis), so it is sent.

    A client that shows it defeats the exercise; the accepted answers never leave the server.
    """

    type: Literal["listen"]
    text: str
    language: str


PublicPayload = Annotated[
    PublicTranslate
    | PublicMultipleChoice
    | PublicWordBank
    | PublicMatchPairs
    | PublicFillBlank
    | PublicListen,
    Field(discriminator="type"),
]


def _shuffled(texts: list[str], *, seed: str) -> list[int]:
    return sorted(range(len(texts)), key=lambda index: (stable_int(seed, texts[index]), index))


def public_match_pairs(payload: dict[str, Any], *, seed: str) -> PublicMatchPairs:
    lefts = [pair["left"] for pair in payload["pairs"]]
    rights = [pair["right"] for pair in payload["pairs"]]
    left_order = _shuffled(lefts, seed=seed + "/left")
    right_order = _shuffled(rights, seed=seed + "/right")
    if left_order == right_order:
        # Row n on the left would be row n on the right: give nothing away by position.
        right_order = right_order[1:] + right_order[:1]
    return PublicMatchPairs(
        type="match_pairs",
        left=[lefts[index] for index in left_order],
        right=[rights[index] for index in right_order],
    )


def public_payload(payload: dict[str, Any], *, seed: str) -> PublicPayload:
    """The learner's view of a stored payload; ``seed`` fixes the match-pairs shuffle."""
    kind = payload["type"]
    if kind == "translate":
        return PublicTranslate(
            type="translate",
            prompt=payload["prompt"],
            prompt_language=payload["prompt_language"],
            answer_language=payload["answer_language"],
        )
    if kind == "multiple_choice":
        return PublicMultipleChoice(
            type="multiple_choice",
            prompt=payload["prompt"],
            options=[
                PublicOption(text=option["text"], image=option.get("image"))
                for option in payload["options"]
            ],
        )
    if kind == "word_bank":
        return PublicWordBank(
            type="word_bank",
            prompt=payload["prompt"],
            prompt_language=payload["prompt_language"],
            answer_language=payload["answer_language"],
            tiles=list(payload["tiles"]),
        )
    if kind == "match_pairs":
        return public_match_pairs(payload, seed=seed)
    if kind == "fill_blank":
        return PublicFillBlank(
            type="fill_blank", prompt=payload["prompt"], translation=payload.get("translation", "")
        )
    if kind == "listen":
        return PublicListen(type="listen", text=payload["text"], language=payload["language"])
    raise ValueError(f"unknown exercise type {kind!r}")
