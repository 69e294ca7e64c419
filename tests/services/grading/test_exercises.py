import pytest

from app.services.grading import (
    VerdictKind,
    grade_match_pairs,
    grade_multiple_choice,
    grade_word_bank,
)


class TestGradeWordBank:
    def test_tiles_in_an_accepted_order_are_exact(self) -> None:
        verdict = grade_word_bank(
            ["Yo", "soy", "un", "gato"], accepted=["[Yo /]soy un gato."], language="es"
        )
        assert (verdict.correct, verdict.kind, verdict.closest) == (
            True,
            VerdictKind.EXACT,
            "Yo soy un gato.",
        )

    def test_contraction_tiles_join_like_typed_text(self) -> None:
        verdict = grade_word_bank(
            ["I", "'m", "a", "boy"], accepted=["I [am/'m] a boy"], language="en"
        )
        assert verdict.kind is VerdictKind.EXACT

    def test_tiles_get_no_accent_or_typo_leniency(self) -> None:
        assert grade_word_bank(["el", "nino"], accepted=["el niño"], language="es").kind is (
            VerdictKind.WRONG
        )
        assert (
            grade_word_bank(["the", "elephnat"], accepted=["the elephant"], language="en").kind
            is VerdictKind.WRONG
        )

    def test_wrong_order_is_wrong_with_a_diff(self) -> None:
        verdict = grade_word_bank(
            ["soy", "yo", "un", "gato"], accepted=["Yo soy un gato"], language="es"
        )
        assert verdict.kind is VerdictKind.WRONG
        assert [(t.expected, t.status.value) for t in verdict.diff] == [
            ("Yo", "wrong"),
            ("soy", "wrong"),
            ("un", "ok"),
            ("gato", "ok"),
        ]


class TestGradeMatchPairs:
    expected = (("dog", "perro"), ("cat", "gato"), ("duck", "pato"))

    def test_all_pairs_in_any_order_are_correct(self) -> None:
        given = [("duck", "pato"), ("Dog", "perro"), ("cat", "gato")]
        verdict = grade_match_pairs(given, expected=self.expected)
        assert (verdict.correct, verdict.kind) == (True, VerdictKind.EXACT)
        assert verdict.closest == "dog = perro; cat = gato; duck = pato"

    def test_swapped_pairs_are_listed_with_what_they_should_be(self) -> None:
        given = [("dog", "perro"), ("cat", "pato"), ("duck", "gato")]
        verdict = grade_match_pairs(given, expected=self.expected)
        assert not verdict.correct
        wrong = [t.to_dict() for t in verdict.diff if t.status.value == "wrong"]
        assert wrong == [
            {"typed": "cat = pato", "expected": "cat = gato", "status": "wrong"},
            {"typed": "duck = gato", "expected": "duck = pato", "status": "wrong"},
        ]

    def test_a_pair_left_out_is_missing(self) -> None:
        verdict = grade_match_pairs([("dog", "perro"), ("cat", "gato")], expected=self.expected)
        assert not verdict.correct
        assert verdict.diff[-1].to_dict() == {
            "typed": None,
            "expected": "duck = pato",
            "status": "missing",
        }

    def test_a_pair_given_twice_is_extra(self) -> None:
        given = [*self.expected, ("dog", "perro")]
        verdict = grade_match_pairs(given, expected=self.expected)
        assert not verdict.correct
        assert verdict.diff[-1].status.value == "extra"


class TestGradeMultipleChoice:
    options = ("el gato", "la gata", "el perro")

    def test_the_correct_option_is_exact(self) -> None:
        verdict = grade_multiple_choice(1, options=self.options, correct=1)
        assert (verdict.correct, verdict.kind, verdict.closest) == (
            True,
            VerdictKind.EXACT,
            "la gata",
        )

    def test_another_option_is_wrong_and_shows_the_correct_one(self) -> None:
        verdict = grade_multiple_choice(2, options=self.options, correct=0)
        assert (verdict.correct, verdict.closest) == (False, "el gato")
        assert verdict.diff[0].to_dict() == {
            "typed": "el perro",
            "expected": "el gato",
            "status": "wrong",
        }

    @pytest.mark.parametrize("chosen", [-1, 3, 99])
    def test_an_index_outside_the_options_is_wrong_not_an_error(self, chosen: int) -> None:
        verdict = grade_multiple_choice(chosen, options=self.options, correct=0)
        assert not verdict.correct
        assert verdict.diff[0].typed is None

    def test_a_correct_index_outside_the_options_is_an_authoring_error(self) -> None:
        with pytest.raises(ValueError, match="not one of"):
            grade_multiple_choice(0, options=self.options, correct=3)
