"""Deterministic exercises for every lesson, modelled on LibreLingo's challenge types.

LibreLingo → grader:
    cards (word with images)       → multiple_choice, prompt in source, pictured target options
    options (no images)            → multiple_choice, prompt in target, translated options
    shortInput (words)             → translate, source → target
    chips (phrases)                → word_bank, source → target tiles
    listeningExercise (phrases)    → listen
    phrase translation both ways   → translate
    (grader additions)             → match_pairs per lesson, fill_blank for longer phrases

Nothing here is random: distractors, option order and tile order come from
stable hashes of the exercise key, so an import twice gives the same exercises
and keys depend only on the item they exercise.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from .keys import exercise_key
from .specs import CourseSpec, ExerciseSpec, ItemKind, ItemSpec, LessonSpec
from .text import comparison_keys, first_variant, normalise, stable_int, tiles

CHOICE_DISTRACTORS = 3  # → 4 options, as in LibreLingo's cards
TILE_DISTRACTORS = 3
MATCH_PAIRS_MIN = 3
MATCH_PAIRS_MAX = 5
FILL_BLANK_MIN_WORDS = 3
BLANK = "___"


def with_exercises(course: CourseSpec) -> CourseSpec:
    """The course with every lesson's `exercises` (re)generated."""
    context = _CourseContext(course)
    units = tuple(
        replace(
            unit,
            lessons=tuple(
                replace(lesson, exercises=context.lesson_exercises(lesson))
                for lesson in unit.lessons
            ),
        )
        for unit in course.units
    )
    return replace(course, units=units)


def lesson_exercises(*, course: CourseSpec, lesson: LessonSpec) -> tuple[ExerciseSpec, ...]:
    """One lesson's exercises; `course` supplies distractors beyond the lesson."""
    return _CourseContext(course).lesson_exercises(lesson)


@dataclass(frozen=True, slots=True)
class _View:
    """An item with what exercises show and compare, computed once."""

    item: ItemSpec
    lesson_key: str
    shown_text: str
    shown_translation: str
    text_keys: frozenset[str]  # every accepted target reading, normalised
    translation_keys: frozenset[str]

    @property
    def accepted_texts(self) -> list[str]:
        return _unique([self.item.text, *self.item.text_alternatives])

    @property
    def accepted_translations(self) -> list[str]:
        return _unique([self.item.translation, *self.item.translation_alternatives])


@dataclass(frozen=True, slots=True)
class _Tile:
    norm: str
    shown: str


def _view(item: ItemSpec, lesson_key: str) -> _View:
    return _View(
        item=item,
        lesson_key=lesson_key,
        shown_text=first_variant(item.text),
        shown_translation=first_variant(item.translation),
        text_keys=comparison_keys([item.text, *item.text_alternatives]),
        translation_keys=comparison_keys([item.translation, *item.translation_alternatives]),
    )


def _hash_order(views: Sequence[_View]) -> list[_View]:
    # Pools are ordered by a hash of their content, so a rotation from a
    # per-exercise start gives a spread of distractors, not file neighbours.
    return sorted(views, key=lambda view: (stable_int(view.item.key), view.item.key))


class _LessonPools:
    """Distractor candidates from one lesson, computed once per lesson."""

    def __init__(self, views: list[_View]) -> None:
        self.by_kind: dict[ItemKind, list[_View]] = {
            kind: _hash_order([view for view in views if view.item.kind == kind])
            for kind in ("word", "phrase")
        }
        self.pictured = [view for view in self.by_kind["word"] if view.item.images]
        self.tiles = _tile_pool(views)


class _CourseContext:
    def __init__(self, course: CourseSpec) -> None:
        self.target = course.target_language.code
        self.source = course.source_language.code
        self.views: dict[str, list[_View]] = {}
        all_views: list[_View] = []
        for lesson in course.lessons():
            views = [_view(item, lesson.key) for item in lesson.items]
            self.views[lesson.key] = views
            all_views.extend(views)
        self.course_pool: dict[ItemKind, list[_View]] = {
            kind: _hash_order([view for view in all_views if view.item.kind == kind])
            for kind in ("word", "phrase")
        }
        self.course_pictured = _hash_order(
            [view for view in all_views if view.item.kind == "word" and view.item.images]
        )
        self.course_tiles = _tile_pool(all_views)

    def lesson_exercises(self, lesson: LessonSpec) -> tuple[ExerciseSpec, ...]:
        views = self.views.get(lesson.key) or [_view(item, lesson.key) for item in lesson.items]
        pools = _LessonPools(views)
        exercises: list[ExerciseSpec | None] = []
        for view in views:
            if view.item.kind == "word":
                exercises += [
                    self._cards(view, pools) if view.item.images else self._options(view, pools),
                    self._translate(view, to_target=True),
                ]
            else:
                exercises += [
                    self._options(view, pools),
                    self._translate(view, to_target=False),
                    self._word_bank(view, pools),
                    self._listen(view),
                    self._translate(view, to_target=True),
                    self._fill_blank(view),
                ]
        exercises.append(self._match_pairs(lesson.key, views))
        return tuple(exercise for exercise in exercises if exercise is not None)

    # -- multiple choice -----------------------------------------------------------

    def _cards(self, view: _View, pools: _LessonPools) -> ExerciseSpec | None:
        """LibreLingo's cards: "Which of these is 'dog'?" with pictured target words."""
        key = exercise_key(owner_key=view.item.key, kind="cards")

        def acceptable(other: _View) -> bool:
            # Not another accepted form, not a word that means the same thing, and
            # not the same picture ("gato" and "el gato" share theirs).
            return (
                normalise(other.shown_text) not in view.text_keys
                and not other.translation_keys & view.translation_keys
                and other.item.images[0] not in view.item.images
            )

        chosen = _pick(
            key=key,
            tiers=[pools.pictured, self.course_pictured],
            labels=lambda other: (normalise(other.shown_text), "image:" + other.item.images[0]),
            acceptable=acceptable,
            exclude=view,
        )
        if not chosen:
            return None
        options = [_option(view.shown_text, view.item.images[0])] + [
            _option(other.shown_text, other.item.images[0]) for other in chosen
        ]
        return _multiple_choice(key, view, prompt=view.shown_translation, options=options)

    def _options(self, view: _View, pools: _LessonPools) -> ExerciseSpec | None:
        """LibreLingo's options: "Which of these is 'perro'?" with translations."""
        key = exercise_key(owner_key=view.item.key, kind="options")

        def acceptable(other: _View) -> bool:
            return (
                normalise(other.shown_translation) not in view.translation_keys
                and not other.text_keys & view.text_keys
            )

        kind: ItemKind = view.item.kind
        other_kind: ItemKind = "phrase" if kind == "word" else "word"
        chosen = _pick(
            key=key,
            tiers=[
                pools.by_kind[kind],
                self.course_pool[kind],
                pools.by_kind[other_kind],
                self.course_pool[other_kind],
            ],
            labels=lambda other: (normalise(other.shown_translation),),
            acceptable=acceptable,
            exclude=view,
        )
        if not chosen:
            return None
        options = [_option(view.shown_translation, None)] + [
            _option(other.shown_translation, None) for other in chosen
        ]
        return _multiple_choice(key, view, prompt=view.shown_text, options=options)

    # -- typed answers ---------------------------------------------------------------

    def _translate(self, view: _View, *, to_target: bool) -> ExerciseSpec:
        kind = "translate-to-target" if to_target else "translate-to-source"
        payload: dict[str, Any] = {
            "type": "translate",
            "prompt": view.shown_translation if to_target else view.shown_text,
            "prompt_language": self.source if to_target else self.target,
            "answer_language": self.target if to_target else self.source,
            "accepted": view.accepted_texts if to_target else view.accepted_translations,
        }
        return _exercise(view, kind, payload)

    def _listen(self, view: _View) -> ExerciseSpec:
        payload: dict[str, Any] = {
            "type": "listen",
            "text": view.shown_text,
            "language": self.target,
            "accepted": view.accepted_texts,
        }
        return _exercise(view, "listen", payload)

    # -- word bank -----------------------------------------------------------------------

    def _word_bank(self, view: _View, pools: _LessonPools) -> ExerciseSpec | None:
        """LibreLingo's chips: build the target sentence from tiles, with a few extra tiles."""
        answer = tiles(view.shown_text)
        if len(answer) < 2:
            return None
        key = exercise_key(owner_key=view.item.key, kind="word-bank")
        taken = {normalise(tile) for tile in answer}
        extra: list[str] = []
        for pool in (pools.tiles, self.course_tiles):
            if not pool or len(extra) == TILE_DISTRACTORS:
                continue
            start = stable_int(key, "tiles") % len(pool)
            for offset in range(len(pool)):
                tile = pool[(start + offset) % len(pool)]
                if tile.norm in taken:
                    continue
                taken.add(tile.norm)
                extra.append(tile.shown)
                if len(extra) == TILE_DISTRACTORS:
                    break
        everything = answer + extra
        order = sorted(
            range(len(everything)), key=lambda index: stable_int(key, str(index), everything[index])
        )
        shuffled = [everything[index] for index in order]
        if shuffled[: len(answer)] == answer:
            # Never hand out the answer already in order.
            shuffled = shuffled[1:] + shuffled[:1]
        payload: dict[str, Any] = {
            "type": "word_bank",
            "prompt": view.shown_translation,
            "prompt_language": self.source,
            "answer_language": self.target,
            "tiles": shuffled,
            "accepted": view.accepted_texts,
        }
        return _exercise(view, "word-bank", payload)

    # -- fill in the blank -------------------------------------------------------------------

    def _fill_blank(self, view: _View) -> ExerciseSpec | None:
        """Blank out the longest word of a plain sentence (ties broken by a stable hash)."""
        text = view.item.text
        if "[" in text:
            return None  # a blank inside alternatives would have no single answer
        words = text.split()
        cores = [_core(word) for word in words]
        if sum(1 for core in cores if core) < FILL_BLANK_MIN_WORDS:
            return None
        key = exercise_key(owner_key=view.item.key, kind="fill-blank")
        candidates = [
            index for index, core in enumerate(cores) if sum(c.isalpha() for c in core) >= 3
        ]
        if not candidates:
            return None
        chosen = max(candidates, key=lambda index: (len(cores[index]), stable_int(key, str(index))))
        missing = cores[chosen]
        accepted = [missing]
        # An alternative that differs from the sentence in this one word only adds
        # its word as another right answer ("perro" / "can").
        for alternative in view.item.text_alternatives:
            other = alternative.split()
            if "[" in alternative or len(other) != len(words):
                continue
            same_elsewhere = all(
                normalise(a) == normalise(b)
                for index, (a, b) in enumerate(zip(words, other, strict=True))
                if index != chosen
            )
            if same_elsewhere and _core(other[chosen]):
                accepted.append(_core(other[chosen]))
        prompt_words = list(words)
        prompt_words[chosen] = words[chosen].replace(missing, BLANK, 1)
        payload: dict[str, Any] = {
            "type": "fill_blank",
            "prompt": " ".join(prompt_words),
            "accepted": _unique(accepted),
            "translation": view.shown_translation,
        }
        return _exercise(view, "fill-blank", payload)

    # -- match pairs ------------------------------------------------------------------------

    def _match_pairs(self, lesson_key: str, views: list[_View]) -> ExerciseSpec | None:
        chosen: list[_View] = []
        lefts: set[str] = set()
        rights: set[str] = set()
        for view in views:
            if view.item.kind != "word":
                continue
            left, right = normalise(view.shown_text), normalise(view.shown_translation)
            # Two equal sides would make the matching ambiguous.
            if left in lefts or right in rights:
                continue
            lefts.add(left)
            rights.add(right)
            chosen.append(view)
            if len(chosen) == MATCH_PAIRS_MAX:
                break
        if len(chosen) < MATCH_PAIRS_MIN:
            return None
        return ExerciseSpec(
            key=exercise_key(owner_key=lesson_key, kind="match-pairs"),
            type="match_pairs",
            item_keys=tuple(view.item.key for view in chosen),
            payload={
                "type": "match_pairs",
                "pairs": [
                    {"left": view.shown_text, "right": view.shown_translation} for view in chosen
                ],
            },
        )


def _pick(
    *,
    key: str,
    tiers: list[list[_View]],
    labels: Callable[[_View], tuple[str, ...]],
    acceptable: Callable[[_View], bool],
    exclude: _View,
) -> list[_View]:
    """Up to CHOICE_DISTRACTORS distractors, lesson tiers first, no two alike."""
    chosen: list[_View] = []
    seen: set[str] = set()
    for number, tier in enumerate(tiers):
        if not tier:
            continue
        start = stable_int(key, str(number)) % len(tier)
        for offset in range(len(tier)):
            if len(chosen) == CHOICE_DISTRACTORS:
                return chosen
            other = tier[(start + offset) % len(tier)]
            names = labels(other)
            if other.item.key == exclude.item.key or not acceptable(other):
                continue
            if any(name in seen for name in names):
                continue
            seen.update(names)
            chosen.append(other)
    return chosen


def _multiple_choice(
    key: str, view: _View, *, prompt: str, options: list[dict[str, str | None]]
) -> ExerciseSpec:
    # The right answer moves to a stable, key-dependent position.
    correct = stable_int(key, "position") % len(options)
    right = options.pop(0)
    options.insert(correct, right)
    payload: dict[str, Any] = {
        "type": "multiple_choice",
        "prompt": prompt,
        "options": options,
        "correct_index": correct,
    }
    return ExerciseSpec(
        key=key, type="multiple_choice", item_keys=(view.item.key,), payload=payload
    )


def _option(text: str, image: str | None) -> dict[str, str | None]:
    return {"text": text, "image": image}


def _exercise(view: _View, kind: str, payload: dict[str, Any]) -> ExerciseSpec:
    return ExerciseSpec(
        key=exercise_key(owner_key=view.item.key, kind=kind),
        type=payload["type"],
        item_keys=(view.item.key,),
        payload=payload,
    )


def _tile_pool(views: Sequence[_View]) -> list[_Tile]:
    seen: dict[str, str] = {}
    for view in views:
        for tile in tiles(view.shown_text):
            seen.setdefault(normalise(tile), tile)
    pool = [_Tile(norm=norm, shown=shown) for norm, shown in seen.items() if norm]
    return sorted(pool, key=lambda tile: (stable_int(tile.norm), tile.norm))


def _core(word: str) -> str:
    found = tiles(word)
    return found[0] if found else ""


def _unique(texts: list[str]) -> list[str]:
    return list(dict.fromkeys(texts))
