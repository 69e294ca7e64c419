import json
import unicodedata

import pytest

from app.services.grading import TokenStatus, Verdict, VerdictKind, compile_answers, grade_text
from app.services.grading.match import LARGE_GRAPH_NODES


def grade(
    answer: str, *accepted: str, language: str = "en", vocabulary: frozenset[str] = frozenset()
) -> Verdict:
    return grade_text(answer, accepted=accepted, language=language, vocabulary=vocabulary)


def statuses(verdict: Verdict) -> list[str]:
    return [token.status.value for token in verdict.diff]


class TestExactMatch:
    @pytest.mark.parametrize(
        ("answer", "accepted", "language"),
        [
            ("como estas", "Como estas?", "es"),
            ("¿Cómo estás?", "cómo estás", "es"),
            ("yo soy un gato", "Yo soy un gato", "es"),
            ("L’homme mange", "L'homme mange.", "fr"),
            ("hura nire irakaslea da", "Hura nire irakaslea da.", "eu"),
            ("Gu bere ikasleak gara", "Gu bere ikasleak gara?", "eu"),
            ("অনুগ্রহ করে রুটি দিন", "অনুগ্রহ করে রুটি দিন", "bn"),
            ("সালমা পানি পান করে।", "সালমা পানি পান করে", "bn"),
        ],
    )
    def test_answers_equal_after_normalising_are_exact(
        self, answer: str, accepted: str, language: str
    ) -> None:
        verdict = grade(answer, accepted, language=language)
        assert (verdict.correct, verdict.kind) == (True, VerdictKind.EXACT)
        assert set(statuses(verdict)) == {"ok"}

    def test_bangla_typed_in_nfd_is_exact(self) -> None:
        phrase = "বিড়ালগুলো খেলছে"  # Bangla course, plurals skill
        decomposed = unicodedata.normalize("NFD", phrase)
        assert decomposed != phrase
        assert grade(decomposed, phrase, language="bn").kind is VerdictKind.EXACT
        assert grade(phrase, decomposed, language="bn").kind is VerdictKind.EXACT

    def test_any_of_several_accepted_answers_matches(self) -> None:
        accepted = ("Ni zure irakaslea naiz.", "Zure irakaslea naiz.")
        assert grade("zure irakaslea naiz", *accepted, language="eu").kind is VerdictKind.EXACT


class TestAccentRule:
    @pytest.mark.parametrize(
        ("answer", "accepted", "language", "accent_words"),
        [
            ("como estas", "¿Cómo estás?", "es", ["Cómo", "estás"]),
            ("el nino", "el niño", "es", ["niño"]),
            ("La medica bebe agua", "La médica bebe agua", "es", ["médica"]),
            ("strasse", "Straße", "de", ["Straße"]),
            ("Die Strasse ist lang", "Die Straße ist lang", "de", ["Straße"]),
            ("Muller", "Müller", "de", ["Müller"]),
            ("Mueller", "Müller", "de", ["Müller"]),
            ("uber", "über", "de", ["über"]),
            ("ca va", "ça va", "fr", ["ça"]),
            ("soeur", "sœur", "fr", ["sœur"]),
            ("Elephant", "Éléphant", "fr", ["Éléphant"]),
            ("gracias senor", "Gracias, señor", "es", ["señor"]),
            ("άνθρωπος", "ανθρωπος", "el", ["ανθρωπος"]),
        ],
    )
    def test_accent_only_differences_are_correct_and_marked(
        self, answer: str, accepted: str, language: str, accent_words: list[str]
    ) -> None:
        verdict = grade(answer, accepted, language=language)
        assert (verdict.correct, verdict.kind) == (True, VerdictKind.ACCENT)
        marked = [t.expected for t in verdict.diff if t.status is TokenStatus.ACCENT]
        assert marked == accent_words

    def test_transliterated_umlauts_are_only_accents_in_german(self) -> None:
        assert grade("Mueller", "Müller", language="de").kind is VerdictKind.ACCENT
        assert grade("Mueller", "Müller", language="en").kind is not VerdictKind.ACCENT

    @pytest.mark.parametrize(
        ("answer", "accepted"),
        [
            ("হাস", "হাঁস"),  # duck without its candrabindu
            ("পান", "পানি"),  # "drink" is not "water": a vowel sign is a letter
            ("ককর", "কুকুর"),  # dog without its u vowel signs
            ("বিডাল", "বিড়াল"),  # cat without its nukta
            ("কর", "করে"),
        ],
    )
    def test_bangla_marks_are_letters_not_accents(self, answer: str, accepted: str) -> None:
        verdict = grade(answer, accepted, language="bn")
        assert verdict.kind is VerdictKind.WRONG

    def test_devanagari_vowel_signs_are_not_accents(self) -> None:
        assert grade("कम", "काम", language="hi").kind is not VerdictKind.ACCENT


class TestTypoRule:
    def test_a_transposition_counts_as_one_edit(self) -> None:
        verdict = grade("the elephnat", "the elephant")
        assert (verdict.correct, verdict.kind) == (True, VerdictKind.TYPO)
        assert statuses(verdict) == ["ok", "typo"]
        assert verdict.diff[1].typed == "elephnat"
        assert verdict.diff[1].expected == "elephant"

    def test_swapped_neighbours_in_a_three_letter_word_are_a_typo(self) -> None:
        assert grade("the cta", "the cat").kind is VerdictKind.TYPO

    @pytest.mark.parametrize("typed", ["cot", "ca", "cart", "kat"])
    def test_short_words_tolerate_no_other_edit(self, typed: str) -> None:
        assert grade(f"the {typed}", "the cat").kind is VerdictKind.WRONG

    @pytest.mark.parametrize(
        ("typed", "expected", "kind"),
        [
            ("hous", "house", VerdictKind.TYPO),  # 5 letters: one edit
            ("huose", "house", VerdictKind.TYPO),
            ("hoose", "house", VerdictKind.TYPO),
            ("hos", "house", VerdictKind.WRONG),  # two edits
            ("elefant", "elephant", VerdictKind.TYPO),  # 8 letters: two edits
            ("elefnt", "elephant", VerdictKind.WRONG),  # three edits
        ],
    )
    def test_tolerance_grows_with_word_length(
        self, typed: str, expected: str, kind: VerdictKind
    ) -> None:
        assert grade(typed, expected).kind is kind

    def test_accents_and_a_typo_together_are_a_typo(self) -> None:
        verdict = grade("La medica bebe agau", "La médica bebe agua", language="es")
        assert verdict.kind is VerdictKind.TYPO
        assert statuses(verdict) == ["ok", "accent", "ok", "typo"]

    def test_basque_typo_is_forgiven(self) -> None:
        verdict = grade("Ni zure irakaslae naiz", "Ni zure irakaslea naiz.", language="eu")
        assert verdict.kind is VerdictKind.TYPO

    def test_numbers_get_no_typo_tolerance(self) -> None:
        assert grade("in 1909", "in 1990").kind is VerdictKind.WRONG

    def test_one_typo_per_four_words_at_least_one(self) -> None:
        accepted = "green apples taste better than yellow bananas"  # 7 words: one typo
        assert grade("grean apples taste better than yellow bananas", accepted).correct
        two_typos = "grean apples taste bettter than yellow bananas"
        verdict = grade(two_typos, accepted)
        assert (verdict.correct, verdict.kind) == (False, VerdictKind.WRONG)
        assert statuses(verdict).count("typo") == 2

    def test_longer_sentences_allow_more_typos(self) -> None:
        accepted = "my grandmother always bakes wonderful bread with fresh butter"  # 9 words
        assert grade(
            "my grandmther always bakes wonderfull bread with fresh butter", accepted
        ).correct
        three = "my grandmther allways bakes wonderfull bread with fresh butter"
        assert not grade(three, accepted).correct

    def test_another_real_word_of_the_course_is_a_mistake(self) -> None:
        verdict = grade("the car", "the cat", vocabulary=frozenset({"car", "the dog"}))
        assert (verdict.correct, verdict.kind) == (False, VerdictKind.WRONG)
        assert statuses(verdict) == ["ok", "wrong"]

    def test_another_word_of_the_same_exercise_is_a_mistake(self) -> None:
        # "gata" is one edit from "gato", but it is a word this exercise accepts elsewhere.
        verdict = grade("el gata", "[el gato/la gata]", language="es")
        assert verdict.kind is VerdictKind.WRONG
        assert verdict.diff[1].to_dict() == {"typed": "gata", "expected": "gato", "status": "wrong"}

    def test_vocabulary_words_differing_only_in_accents_count_as_real(self) -> None:
        verdict = grade(
            "la nina", "el niño", "la niño", language="es", vocabulary=frozenset({"niña"})
        )
        assert verdict.kind is VerdictKind.WRONG

    def test_the_same_misspelling_is_a_typo_without_that_vocabulary(self) -> None:
        assert grade("the hoose", "the house").kind is VerdictKind.TYPO
        vocabulary = frozenset({"Hoose"})
        assert grade("the hoose", "the house", vocabulary=vocabulary).kind is VerdictKind.WRONG


class TestApostrophes:
    @pytest.mark.parametrize("answer", ["I'm a boy", "I am a boy", "I ’m a boy"])
    def test_contracted_and_full_forms_are_exact(self, answer: str) -> None:
        assert grade(answer, "I [am/'m] a [boy/child]").kind is VerdictKind.EXACT

    def test_a_missing_apostrophe_is_a_typo_even_in_a_short_word(self) -> None:
        verdict = grade("im a boy", "I [am/'m] a [boy/child]")
        assert (verdict.correct, verdict.kind) == (True, VerdictKind.TYPO)
        assert verdict.diff[0].to_dict() == {"typed": "im", "expected": "I'm", "status": "typo"}
        assert verdict.closest == "I'm a boy"

    def test_missing_apostrophes_do_not_use_up_the_typo_allowance(self) -> None:
        verdict = grade("dont worry im fine", "Don't worry, I'm fine.")
        assert verdict.kind is VerdictKind.TYPO
        assert grade("dont worry im fien", "Don't worry, I'm fine.").correct

    def test_a_real_word_without_the_apostrophe_is_a_mistake(self) -> None:
        verdict = grade("its raining", "It's raining", vocabulary=frozenset({"its"}))
        assert verdict.kind is VerdictKind.WRONG

    def test_french_elision_with_a_typographic_apostrophe_is_exact(self) -> None:
        assert grade("l’homme", "l'homme", language="fr").kind is VerdictKind.EXACT
        assert grade("lhomme", "l'homme", language="fr").kind is VerdictKind.TYPO


class TestWrongAnswers:
    def test_a_missing_word_is_wrong_and_marked_missing(self) -> None:
        verdict = grade("the big", "the big dog")
        assert (verdict.correct, verdict.kind) == (False, VerdictKind.WRONG)
        assert [t.to_dict() for t in verdict.diff][2] == {
            "typed": None,
            "expected": "dog",
            "status": "missing",
        }

    def test_an_extra_word_is_wrong_and_marked_extra(self) -> None:
        verdict = grade("the very big dog", "the big dog")
        assert verdict.kind is VerdictKind.WRONG
        assert statuses(verdict) == ["ok", "extra", "ok", "ok"]
        assert verdict.diff[1].expected is None

    def test_a_wrong_word_is_aligned_with_the_word_it_replaced(self) -> None:
        verdict = grade("Yo soy un perro", "Yo soy un gato", language="es")
        assert verdict.diff[3].to_dict() == {
            "typed": "perro",
            "expected": "gato",
            "status": "wrong",
        }

    def test_closest_is_the_accepted_answer_needing_fewest_word_edits(self) -> None:
        verdict = grade("we like the green cats", "I like red dogs", "We like green cats")
        assert verdict.closest == "We like green cats"
        assert statuses(verdict) == ["ok", "ok", "extra", "ok", "ok"]

    def test_ties_go_to_the_first_listed_answer(self) -> None:
        assert grade("xyz", "Hello", "Hi").closest == "Hello"
        assert grade("xyz", "Hi", "Hello").closest == "Hi"

    def test_closest_is_found_among_thousands_of_unrelated_answers(self) -> None:
        accepted = [f"sentence {n} about topic t{n} with words w{n} and v{n}" for n in range(500)]
        accepted.insert(321, "the little cat sleeps on the warm sofa")
        compiled = compile_answers(accepted, language="en")
        assert compiled.node_count > LARGE_GRAPH_NODES
        verdict = grade("the little dog sleeps on a warm sofa", *accepted)
        assert verdict.kind is VerdictKind.WRONG
        assert verdict.closest == "the little cat sleeps on the warm sofa"
        assert [t.status.value for t in verdict.diff].count("wrong") == 2

    def test_an_empty_answer_lists_every_word_as_missing(self) -> None:
        verdict = grade("  ¿? ", "Buen provecho", language="es")
        assert verdict.kind is VerdictKind.WRONG
        assert statuses(verdict) == ["missing", "missing"]

    def test_diff_keeps_what_the_learner_typed(self) -> None:
        verdict = grade("¡BUEN viajé!", "¡Buen viaje!", language="es")
        assert [t.typed for t in verdict.diff] == ["BUEN", "viajé"]
        assert verdict.kind is VerdictKind.ACCENT

    def test_very_long_answers_are_judged_with_the_rest_marked_extra(self) -> None:
        verdict = grade("word " * 500, "one word")
        assert verdict.kind is VerdictKind.WRONG
        assert len(verdict.diff) >= 500


class TestVerdictToDict:
    def test_is_plain_json(self) -> None:
        verdict = grade("the cta", "The cat.")
        data = verdict.to_dict()
        assert json.loads(json.dumps(data)) == {
            "correct": True,
            "kind": "typo",
            "closest": "The cat.",
            "diff": [
                {"typed": "the", "expected": "The", "status": "ok"},
                {"typed": "cta", "expected": "cat", "status": "typo"},
            ],
        }
