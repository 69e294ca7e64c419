from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import replace

import pytest

from app.services.librelingo import (
    CourseSpec,
    ExerciseSpec,
    ItemSpec,
    LanguageSpec,
    LessonSpec,
    UnitSpec,
    item_key,
    lesson_exercises,
    read_course,
    with_exercises,
)

from .conftest import COURSE_NAMES, read_shared, shared_course

PAYLOAD_FIELDS = {
    "translate": {"type", "prompt", "prompt_language", "answer_language", "accepted"},
    "multiple_choice": {"type", "prompt", "options", "correct_index"},
    "word_bank": {"type", "prompt", "prompt_language", "answer_language", "tiles", "accepted"},
    "match_pairs": {"type", "pairs"},
    "fill_blank": {"type", "prompt", "accepted", "translation"},
    "listen": {"type", "text", "language", "accepted"},
}


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _bare(word: str) -> str:
    """A word without accents, marks or surrounding punctuation, for counting tiles."""
    stripped = "".join(
        ch for ch in unicodedata.normalize("NFD", word) if not unicodedata.combining(ch)
    )
    return stripped.strip('¿¡?!.,;:"').casefold()


def _by_key(spec: CourseSpec) -> dict[str, ExerciseSpec]:
    return {exercise.key: exercise for exercise in spec.exercises()}


def _tiny_course(*lessons: LessonSpec) -> CourseSpec:
    return with_exercises(
        CourseSpec(
            title="Spanish from English",
            target_language=LanguageSpec(code="es", name="Spanish"),
            source_language=LanguageSpec(code="en", name="English"),
            units=(UnitSpec(key="basics", title="Basics", lessons=lessons),),
        )
    )


def _word(lesson: str, text: str, translation: str, *images: str) -> ItemSpec:
    return ItemSpec(
        key=item_key(lesson_key=lesson, kind="word", text=text),
        kind="word",
        text=text,
        translation=translation,
        images=images,
    )


class TestGenerateExercises:
    @pytest.mark.parametrize("name", COURSE_NAMES)
    def test_generating_twice_gives_equal_exercises(self, name: str) -> None:
        spec = read_shared(name)
        assert with_exercises(spec) == spec
        assert read_course(shared_course(name)) == spec

    @pytest.mark.parametrize("name", COURSE_NAMES)
    def test_exercise_keys_are_unique_in_the_course(self, name: str) -> None:
        keys = [exercise.key for exercise in read_shared(name).exercises()]
        assert len(keys) == len(set(keys))

    @pytest.mark.parametrize("name", COURSE_NAMES)
    def test_payloads_have_exactly_the_agreed_fields(self, name: str) -> None:
        for exercise in read_shared(name).exercises():
            assert exercise.payload["type"] == exercise.type
            assert set(exercise.payload) == PAYLOAD_FIELDS[exercise.type], exercise.key

    @pytest.mark.parametrize("name", COURSE_NAMES)
    def test_exercises_reference_items_of_their_own_lesson(self, name: str) -> None:
        for lesson in read_shared(name).lessons():
            item_keys = {item.key for item in lesson.items}
            for exercise in lesson.exercises:
                assert exercise.item_keys
                assert set(exercise.item_keys) <= item_keys

    @pytest.mark.parametrize("name", COURSE_NAMES)
    def test_every_item_is_exercised_and_every_word_has_a_typed_translation(
        self, name: str
    ) -> None:
        spec = read_shared(name)
        exercised = {key for exercise in spec.exercises() for key in exercise.item_keys}
        assert exercised == {item.key for item in spec.items()}
        keys = set(_by_key(spec))
        for item in spec.items():
            assert f"{item.key}/translate-to-target" in keys
            if item.kind == "phrase":
                assert f"{item.key}/translate-to-source" in keys
                assert f"{item.key}/listen" in keys

    @pytest.mark.parametrize("name", COURSE_NAMES)
    def test_multiple_choice_has_four_distinct_options_with_the_right_one_marked(
        self, name: str
    ) -> None:
        spec = read_shared(name)
        items = {item.key: item for item in spec.items()}
        positions: Counter[int] = Counter()
        for exercise in spec.exercises():
            if exercise.type != "multiple_choice":
                continue
            payload = exercise.payload
            options = payload["options"]
            item = items[exercise.item_keys[0]]
            texts = [_fold(option["text"]) for option in options]
            assert len(options) == 4
            assert len(set(texts)) == 4
            right = options[payload["correct_index"]]
            positions[payload["correct_index"]] += 1
            if exercise.key.endswith("/cards"):
                assert payload["prompt"] == item.translation
                assert right == {"text": item.text, "image": item.images[0]}
                assert all(option["image"] for option in options)
                assert len({option["image"] for option in options}) == 4
            else:
                assert payload["prompt"] == item.text
                assert right["text"] == item.translation
                wrong = [o["text"] for o in options if o is not right]
                accepted = {
                    _fold(text) for text in (item.translation, *item.translation_alternatives)
                }
                assert not accepted & {_fold(text) for text in wrong}
        # The right answer is spread over the positions, not always first.
        assert len(positions) == 4

    def test_words_with_images_get_cards_and_words_without_get_options(self) -> None:
        keys = set(_by_key(read_shared("basque-from-english")))
        for item in read_shared("basque-from-english").items():
            if item.kind == "word":
                kind = "cards" if item.images else "options"
                assert f"{item.key}/{kind}" in keys

    def test_the_same_word_twice_is_never_its_own_distractor(self) -> None:
        spec = read_shared("basque-from-english")
        for exercise in spec.exercises():
            if exercise.type == "multiple_choice" and exercise.payload["prompt"] == "gutxitan":
                texts = {option["text"] for option in exercise.payload["options"]}
                assert not {"seldom", "rarely"} <= texts

    @pytest.mark.parametrize("name", COURSE_NAMES)
    def test_word_bank_tiles_hold_the_answer_words_plus_distractors(self, name: str) -> None:
        spec = read_shared(name)
        for exercise in spec.exercises():
            if exercise.type != "word_bank":
                continue
            tiles = Counter(_bare(tile) for tile in exercise.payload["tiles"])
            answer = exercise.payload["accepted"][0]
            words = Counter(_bare(word) for word in answer.split() if _bare(word))
            assert not words - tiles, exercise.key
            assert 1 <= sum((tiles - words).values()) <= 3

    def test_word_bank_tiles_are_not_in_answer_order(self) -> None:
        spec = read_shared("spanish-from-english")
        for exercise in spec.exercises():
            if exercise.type == "word_bank":
                answer = exercise.payload["accepted"][0].split()
                assert exercise.payload["tiles"][: len(answer)] != answer

    @pytest.mark.parametrize("name", COURSE_NAMES)
    def test_one_match_pairs_per_lesson_with_three_words(self, name: str) -> None:
        for lesson in read_shared(name).lessons():
            pairs = [exercise for exercise in lesson.exercises if exercise.type == "match_pairs"]
            if len(lesson.words) >= 3:
                assert len(pairs) == 1
                assert 3 <= len(pairs[0].payload["pairs"]) <= 5
                assert pairs[0].key == f"{lesson.key}/match-pairs"
            else:
                assert pairs == []

    def test_fill_blank_hides_one_word_that_is_accepted(self) -> None:
        exercises = _by_key(read_shared("spanish-from-english"))
        spec = read_shared("spanish-from-english")
        max_phrase = next(item for item in spec.items() if item.text == "Max es un perro")
        fill = exercises[f"{max_phrase.key}/fill-blank"].payload
        assert fill == {
            "type": "fill_blank",
            "prompt": "Max es un ___",
            "accepted": ["perro", "can"],  # the alternative "Max es un can" differs only there
            "translation": "Max is a dog",
        }

    @pytest.mark.parametrize("name", COURSE_NAMES)
    def test_fill_blank_prompts_rebuild_the_phrase(self, name: str) -> None:
        spec = read_shared(name)
        items = {item.key: item for item in spec.items()}
        for exercise in spec.exercises():
            if exercise.type == "fill_blank":
                payload = exercise.payload
                assert payload["prompt"].count("___") == 1
                filled = payload["prompt"].replace("___", payload["accepted"][0])
                assert filled == " ".join(items[exercise.item_keys[0]].text.split())

    def test_translate_goes_both_ways_for_phrases(self) -> None:
        spec = read_shared("spanish-from-english")
        exercises = _by_key(spec)
        phrase = next(item for item in spec.items() if item.text == "Max es un perro")
        to_source = exercises[f"{phrase.key}/translate-to-source"].payload
        to_target = exercises[f"{phrase.key}/translate-to-target"].payload
        assert to_source["prompt_language"] == "es"
        assert to_source["accepted"] == ["Max is a dog"]
        assert to_target["answer_language"] == "es"
        assert to_target["accepted"] == ["Max es un perro", "Max es un can"]

    def test_prompts_show_the_first_reading_of_a_grammar_text(self) -> None:
        lesson = LessonSpec(
            key="l1",
            slug="l1",
            title="Greetings",
            items=(
                ItemSpec(
                    key=item_key(lesson_key="l1", kind="phrase", text="Soy [un niño/una niña]"),
                    kind="phrase",
                    text="Soy [un niño/una niña]",
                    translation="I [am/'m] a [boy/girl]",
                ),
            ),
        )
        course = _tiny_course(lesson)
        exercises = _by_key(course)
        key = lesson.items[0].key
        assert exercises[f"{key}/translate-to-source"].payload["prompt"] == "Soy un niño"
        assert exercises[f"{key}/translate-to-target"].payload["prompt"] == "I am a boy"
        assert exercises[f"{key}/translate-to-target"].payload["accepted"] == [
            "Soy [un niño/una niña]"
        ]
        assert f"{key}/fill-blank" not in exercises  # no single word to blank in a grammar

    def test_a_lesson_alone_gets_the_same_exercises_as_within_the_course(self) -> None:
        spec = read_shared("spanish-from-english")
        lesson = next(spec.lessons())
        assert lesson_exercises(course=spec, lesson=lesson) == lesson.exercises

    def test_keys_stay_when_a_word_is_added_to_another_lesson(self) -> None:
        spec = read_shared("spanish-from-english")
        first, second = spec.units[0].lessons[:2]
        extra = _word(second.key, "jirafa", "giraffe", "giraffe1")
        grown_unit = replace(
            spec.units[0],
            lessons=(
                first,
                replace(second, items=(*second.items, extra)),
                *spec.units[0].lessons[2:],
            ),
        )
        grown = with_exercises(replace(spec, units=(grown_unit, *spec.units[1:])))

        before = {exercise.key for exercise in spec.exercises()}
        after = {exercise.key for exercise in grown.exercises()}
        assert before <= after
        assert after - before == {f"{extra.key}/cards", f"{extra.key}/translate-to-target"}
        # The first lesson draws its card distractors from itself, so nothing moves.
        grown_first = grown.units[0].lessons[0]
        assert [e.key for e in grown_first.exercises] == [e.key for e in first.exercises]
        assert [e.payload for e in grown_first.exercises if e.key.endswith("/cards")] == [
            e.payload for e in first.exercises if e.key.endswith("/cards")
        ]

    def test_a_tiny_course_gets_fewer_options_rather_than_duplicates(self) -> None:
        lesson = LessonSpec(
            key="l1",
            slug="l1",
            title="Two words",
            items=(_word("l1", "perro", "dog", "dog1"), _word("l1", "gato", "cat", "cat1")),
        )
        exercises = _by_key(_tiny_course(lesson))
        cards = exercises[f"{lesson.items[0].key}/cards"].payload
        assert sorted(option["text"] for option in cards["options"]) == ["gato", "perro"]
        assert "l1/match-pairs" not in exercises  # fewer than three words

    def test_a_single_word_lesson_has_no_multiple_choice(self) -> None:
        lesson = LessonSpec(
            key="l1", slug="l1", title="One", items=(_word("l1", "perro", "dog", "dog1"),)
        )
        types = [exercise.type for exercise in _tiny_course(lesson).exercises()]
        assert types == ["translate"]
