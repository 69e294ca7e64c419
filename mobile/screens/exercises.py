"""One widget per exercise type; ``answer()`` returns what the API expects for that type.

translate / listen / fill_blank: the text; multiple_choice: the option's index;
word_bank: the chosen tiles in order; match_pairs: ``[[left, right], ...]``.
"""

from __future__ import annotations

from typing import Any

from kivy.metrics import dp
from kivy.properties import BooleanProperty, ListProperty, NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.button import Button
from kivy.uix.togglebutton import ToggleButton
from kivy.utils import escape_markup

from mobile.screens import load_kv
from mobile.speech import speaker

load_kv("exercises")

SELECTED = (0.3, 0.55, 0.95, 1)
PAIRED = (0.35, 0.75, 0.3, 1)
PLAIN = (1, 1, 1, 1)


def language_name(code: str) -> str:
    """The course's name for a language code (``es`` -> ``Spanish``), else the code."""
    from kivy.app import App

    course = App.get_running_app().state.course
    for side in ("target", "source"):
        if course.get(f"{side}_language") == code:
            return str(course.get(f"{side}_language_name") or code)
    return code


class ExerciseView(BoxLayout):
    """The base: ``ready`` is True when ``answer()`` has something to send."""

    ready = BooleanProperty(False)
    prompt = StringProperty("")
    hint = StringProperty("")

    def __init__(self, exercise: dict[str, Any], special_characters: list[str], **kwargs: Any):
        self.exercise = exercise
        self.payload = exercise["payload"]
        self.special_characters = special_characters
        super().__init__(**kwargs)
        self.setup()

    def setup(self) -> None:
        """Each exercise type builds its own widgets here; the base has none."""

    def answer(self) -> Any:
        """The answer in the shape the API expects for this exercise type."""
        raise NotImplementedError(f"{type(self).__name__} must say how it answers")

    def lock(self) -> None:
        self.disabled = True


class TextExercise(ExerciseView):
    """Typed answers, with the course's special characters as buttons."""

    def setup(self) -> None:
        row = self.ids.chars
        for char in self.special_characters:
            button = Button(text=char, size_hint=(None, None), size=(dp(38), dp(38)))
            button.bind(on_release=lambda b: self.insert(b.text))
            row.add_widget(button)
        self.ids.entry.bind(text=lambda _w, text: setattr(self, "ready", bool(text.strip())))

    def insert(self, char: str) -> None:
        entry = self.ids.entry
        entry.insert_text(char)
        entry.focus = True

    def answer(self) -> str:
        return str(self.ids.entry.text.strip())


class TranslateView(TextExercise):
    def setup(self) -> None:
        self.prompt = f"Write this in {language_name(self.payload.get('answer_language', ''))}:"
        self.hint = escape_markup(self.payload["prompt"])
        super().setup()


class FillBlankView(TextExercise):
    def setup(self) -> None:
        self.prompt = "Fill in the blank:"
        text = escape_markup(self.payload["prompt"]).replace("___", "[u]      [/u]")
        translation = escape_markup(self.payload.get("translation", ""))
        self.hint = f"{text}\n[size=14sp][i]{translation}[/i][/size]"
        super().setup()


class ListenView(TextExercise):
    """Speaks the text when the platform can; otherwise the learner may reveal it."""

    can_speak = BooleanProperty(False)
    revealed = BooleanProperty(False)

    def setup(self) -> None:
        self._speak = speaker()
        self.can_speak = self._speak is not None
        self.prompt = "Type what you hear:"
        if not self.can_speak:
            self.hint = "Listening is not available on this device."
        super().setup()
        row = self.ids.play.parent  # the kv puts it last; show it under the prompt
        self.remove_widget(row)
        self.add_widget(row, index=len(self.children) - 1)

    def play(self) -> None:
        if self._speak is not None:
            self._speak(self.payload["text"], self.payload.get("language", ""))

    def reveal(self) -> None:
        self.revealed = True
        self.hint = (
            "Listening is not available on this device. Type this sentence:\n"
            f"[b]{escape_markup(self.payload['text'])}[/b]"
        )


class MultipleChoiceView(ExerciseView):
    selected = NumericProperty(-1)

    def setup(self) -> None:
        self.prompt = "Choose the right translation:"
        self.hint = escape_markup(self.payload["prompt"])
        group = f"mc-{id(self)}"
        for index, option in enumerate(self.payload["options"]):
            button = ToggleButton(text=option["text"], group=group, size_hint_y=None, height=dp(48))
            button.option_index = index
            button.bind(state=self._on_state)
            self.ids.options.add_widget(button)

    def _on_state(self, button: ToggleButton, state: str) -> None:
        if state == "down":
            self.selected = button.option_index
        elif self.selected == button.option_index:
            self.selected = -1
        self.ready = self.selected >= 0

    def option_buttons(self) -> list[ToggleButton]:
        return list(reversed(self.ids.options.children))

    def answer(self) -> int:
        return int(self.selected)


class WordBankView(ExerciseView):
    """Tap tiles to build the sentence; tap a placed tile to put it back."""

    chosen = ListProperty([])  # indexes into the tiles, in order

    def setup(self) -> None:
        self.prompt = "Build the sentence:"
        self.hint = escape_markup(self.payload["prompt"])
        self.tiles = list(self.payload["tiles"])
        self.render()

    def render(self) -> None:
        bank, line = self.ids.bank, self.ids.line
        bank.clear_widgets()
        line.clear_widgets()
        for index in self.chosen:
            line.add_widget(self._tile(index, placed=True))
        for index, _tile in enumerate(self.tiles):
            button = self._tile(index, placed=False)
            if index in self.chosen:
                button.opacity, button.disabled = 0.25, True
            bank.add_widget(button)
        self.ready = bool(self.chosen)

    def _tile(self, index: int, *, placed: bool) -> Button:
        text = self.tiles[index]
        button = Button(text=text, size_hint=(None, None), height=dp(42))
        button.width = max(dp(54), dp(16) + len(text) * dp(11))
        button.tile_index, button.placed = index, placed
        button.bind(on_release=self.tap)
        return button

    def tap(self, button: Button) -> None:
        if button.placed:
            self.chosen = [i for i in self.chosen if i != button.tile_index]
        elif button.tile_index not in self.chosen:
            self.chosen = [*self.chosen, button.tile_index]
        self.render()

    def bank_buttons(self) -> list[Button]:
        return list(reversed(self.ids.bank.children))

    def answer(self) -> list[str]:
        return [self.tiles[index] for index in self.chosen]


class MatchPairsView(ExerciseView):
    """Tap a word on the left, then its partner on the right; tap a pair again to undo."""

    pairs = ListProperty([])  # [[left, right], ...]

    def setup(self) -> None:
        self.prompt = "Match the pairs:"
        self.hint = ""
        self._left: str | None = None
        self.buttons: dict[tuple[str, str], Button] = {}
        for side, words in (("left", self.payload["left"]), ("right", self.payload["right"])):
            for word in words:
                button = Button(text=word, size_hint_y=None, height=dp(44))
                button.side, button.word = side, word
                button.bind(on_release=self.tap)
                self.ids[side].add_widget(button)
                self.buttons[(side, word)] = button

    def tap(self, button: Button) -> None:
        side = 0 if button.side == "left" else 1
        paired = next((pair for pair in self.pairs if pair[side] == button.word), None)
        if paired is not None:
            self.pairs = [pair for pair in self.pairs if pair is not paired]
        elif button.side == "left":
            self._left = button.word
        elif self._left is not None:
            self.pairs = [*self.pairs, [self._left, button.word]]
            self._left = None
        self._paint()

    def _paint(self) -> None:
        used = {("left", a) for a, _ in self.pairs} | {("right", b) for _, b in self.pairs}
        for key, button in self.buttons.items():
            if key in used:
                button.background_color = PAIRED
            elif key == ("left", self._left):
                button.background_color = SELECTED
            else:
                button.background_color = PLAIN
        self.ready = len(self.pairs) == len(self.payload["left"])

    def answer(self) -> list[list[str]]:
        return [list(pair) for pair in self.pairs]


VIEWS: dict[str, type[ExerciseView]] = {
    "translate": TranslateView,
    "fill_blank": FillBlankView,
    "listen": ListenView,
    "multiple_choice": MultipleChoiceView,
    "word_bank": WordBankView,
    "match_pairs": MatchPairsView,
}


def view_for(exercise: dict[str, Any], special_characters: list[str]) -> ExerciseView:
    return VIEWS[exercise["type"]](exercise, special_characters)
