import pytest

from app.services.grading import GrammarError, compile_answers, grade_text, validate_grammar
from app.services.grading.grammar import MAX_GRAMMAR_LENGTH, MAX_NESTING


def kind_of(answer: str, *accepted: str, language: str = "en") -> str:
    return grade_text(answer, accepted=accepted, language=language).kind.value


class TestGrammarChoices:
    @pytest.mark.parametrize(
        ("grammar", "answer"),
        [
            ("I [am/'m] a [boy/child]", "I am a boy"),
            ("I [am/'m] a [boy/child]", "I'm a child"),
            ("I [am/'m] a [boy/child]", "I 'm a child"),
            ("[the /]cat", "the cat"),
            ("[the /]cat", "cat"),
            ("[a [big/large]/the] dog", "a big dog"),
            ("[a [big/large]/the] dog", "a large dog"),
            ("[a [big/large]/the] dog", "the dog"),
            ("gat[o/a]", "gato"),
            ("gat[o/a]", "gata"),
            ("I['/]m here", "I'm here"),
            ("I['/]m here", "Im here"),
            ("he[llo/y] there/here", "hey there here"),
            ("[Hura /]nire irakaslea da.", "Nire irakaslea da"),
        ],
    )
    def test_every_option_is_accepted_exactly(self, grammar: str, answer: str) -> None:
        assert kind_of(answer, grammar) == "exact"

    @pytest.mark.parametrize(
        ("grammar", "answer"),
        [
            ("[the /]cat", "the"),
            ("[a [big/large]/the] dog", "a dog"),
            ("[a [big/large]/the] dog", "the big dog"),
            ("un gat[o/a]", "una"),
            ("I [am/'m] a [boy/child]", "I a boy"),
        ],
    )
    def test_paths_the_grammar_does_not_produce_are_wrong(self, grammar: str, answer: str) -> None:
        assert kind_of(answer, grammar) == "wrong"

    def test_closest_renders_the_best_path_with_the_authors_writing(self) -> None:
        verdict = grade_text("im a boy", accepted=["I [am/'m] a [boy/child]."], language="en")
        assert verdict.closest == "I'm a boy."

    def test_closest_keeps_spanish_punctuation(self) -> None:
        verdict = grade_text("como estas", accepted=["¿Cómo [estás/está usted]?"], language="es")
        assert verdict.closest == "¿Cómo estás?"

    def test_a_million_combinations_compile_to_a_small_graph_and_grade(self) -> None:
        grammar = " ".join(f"[w{i}a/w{i}b]" for i in range(20))  # 2**20 sentences
        compiled = compile_answers([grammar], language="en")
        assert compiled.node_count <= 2 * 20 + 1
        answer = " ".join(f"w{i}{'ab'[i % 2]}" for i in range(20))
        assert kind_of(answer, grammar) == "exact"
        assert kind_of(answer.replace("w7b", "w7c"), grammar) == "wrong"

    def test_six_choices_of_ten_options_grade_any_combination(self) -> None:
        grammar = " ".join(
            "[" + "/".join(f"s{slot}o{option}" for option in range(10)) + "]" for slot in range(6)
        )
        answer = "s0o9 s1o3 s2o0 s3o7 s4o5 s5o1"
        assert kind_of(answer, grammar) == "exact"

    def test_many_separate_variants_are_merged_into_a_small_graph(self) -> None:
        accepted = [f"{a} {b} {c}" for a in "ABCDEFGHIJ" for b in "klmnopqrst" for c in "uvwxyz"]
        compiled = compile_answers(accepted, language="en")
        assert compiled.node_count == 4
        assert kind_of("c q y", *accepted) == "exact"


class TestValidateGrammar:
    @pytest.mark.parametrize(
        ("grammar", "position", "fragment"),
        [
            ("I [am/'m a boy", 2, "never closed"),
            ("I am] a boy", 4, "without a matching"),
            ("a [b/[c/d] e", 2, "never closed"),
            ("", 0, "empty"),
            ("   ", 0, "empty"),
            ("¿?", 0, "can be empty"),
            ("[the /]", 0, "can be empty"),
            ("a [] b", 2, "non-empty option"),
            ("a [/] b", 2, "non-empty option"),
        ],
    )
    def test_malformed_grammar_reports_where(
        self, grammar: str, position: int, fragment: str
    ) -> None:
        with pytest.raises(GrammarError, match=fragment) as caught:
            validate_grammar(grammar)
        assert caught.value.position == position

    def test_grammar_error_is_a_value_error(self) -> None:
        with pytest.raises(ValueError, match="never closed"):
            validate_grammar("[a")

    def test_nesting_deeper_than_the_limit_is_rejected_at_the_too_deep_bracket(self) -> None:
        grammar = "[x" * (MAX_NESTING + 1) + "]" * (MAX_NESTING + 1)
        with pytest.raises(GrammarError, match="nested") as caught:
            validate_grammar(grammar)
        assert caught.value.position == 2 * MAX_NESTING

    def test_nesting_up_to_the_limit_is_fine(self) -> None:
        validate_grammar("[x" * MAX_NESTING + "]" * MAX_NESTING)

    def test_too_long_grammar_is_rejected(self) -> None:
        with pytest.raises(GrammarError, match="longer"):
            validate_grammar("a " * MAX_GRAMMAR_LENGTH)

    def test_choices_stacked_inside_one_word_are_rejected_before_they_explode(self) -> None:
        with pytest.raises(GrammarError, match="too many word variants"):
            validate_grammar("[a/b]" * 20)

    def test_slash_outside_brackets_is_literal_text(self) -> None:
        validate_grammar("either/or")
        assert kind_of("either or", "either/or") == "exact"

    def test_faulty_answer_in_a_list_is_named(self) -> None:
        with pytest.raises(GrammarError) as caught:
            compile_answers(["fine", "also [fine]", "broken ]"], language="en")
        assert caught.value.answer_index == 2
        assert caught.value.position == 7

    def test_an_exercise_without_accepted_answers_is_rejected(self) -> None:
        with pytest.raises(GrammarError, match="at least one"):
            compile_answers([], language="en")


class TestCompileAnswers:
    def test_is_cached_for_the_same_answers_and_language(self) -> None:
        first = compile_answers(["the [cat/dog]"], language="en-GB")
        assert compile_answers(("the [cat/dog]",), language="en-US") is first
        assert compile_answers(["the [cat/dog]"], language="de") is not first
