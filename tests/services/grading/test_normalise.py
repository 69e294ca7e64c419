import unicodedata

import pytest

from app.services.grading import normalise


class TestNormalise:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("¿Cómo estás?", "cómo estás"),
            ("¡Buen   viaje!", "buen viaje"),
            ("«Hola», dijo…", "hola dijo"),
            ("„Guten Tag“ – sagte er — heute", "guten tag sagte er heute"),
            ("আমি পাস্তা খাই।", "আমি পাস্তা খাই"),
            ("এক॥ দুই", "এক দুই"),
            ("twenty-one", "twenty one"),
            ("  Bai.\tNi bere\nerizaina naiz  ", "bai ni bere erizaina naiz"),
        ],
    )
    def test_removes_punctuation_and_collapses_whitespace(self, text: str, expected: str) -> None:
        assert normalise(text) == expected

    @pytest.mark.parametrize(
        "typed", ["l’homme", "l‘homme", "lʼhomme", "l`homme", "l´homme", "L'HOMME"]
    )
    def test_folds_typographic_apostrophes_and_keeps_them_inside_words(self, typed: str) -> None:
        assert normalise(typed) == "l'homme"

    def test_drops_quotes_around_words(self) -> None:
        assert normalise("He said 'hello' and ‘goodbye’") == "he said hello and goodbye"

    def test_attaches_a_contraction_to_the_word_before(self) -> None:
        assert normalise("I 'm sure you ’re right") == "i'm sure you're right"

    def test_a_contraction_at_the_start_has_nothing_to_attach_to(self) -> None:
        assert normalise("'s avonds") == "s avonds"

    def test_keeps_sharp_s_so_it_can_be_an_accent_difference(self) -> None:
        assert normalise("STRAẞE Straße") == "straße straße"

    def test_casefolds_beyond_ascii(self) -> None:
        assert normalise("ΣΟΦΙΑ Ñandú") == normalise("σοφια ñandú")

    def test_nfd_and_nfc_give_the_same_words(self) -> None:
        phrase = "বিড়ালটা খেলছে, niño"
        assert normalise(unicodedata.normalize("NFD", phrase)) == normalise(phrase)

    def test_ignores_invisible_format_characters(self) -> None:
        assert normalise("ca\u00adt\u200b") == "cat"

    def test_text_without_words_normalises_to_nothing(self) -> None:
        assert normalise(" ¿?!… '' ") == ""
