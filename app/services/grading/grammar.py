"""The accepted-answer grammar: parse one string into a graph of words.

Syntax: ``[a/b]`` is a choice, an empty option makes it optional (``[the /]cat``),
choices nest (``[a [big/large]/the] dog``), spaces inside a choice belong to it,
a ``/`` outside brackets is literal text. There is no escape character.

A string is parsed into a character graph (a Thompson-style NFA whose node ids
increase along every edge), then turned into a *word graph*: its nodes are the
points right after a word, its edges carry one normalised word each. Words are
read through choices, so ``gat[o/a]`` gives the words "gato" and "gata" and
``I [am/'m]`` gives "i am" and "i'm". Nothing is ever expanded into whole
sentences: 20 binary choices give 40 word edges, not a million strings.
"""

from __future__ import annotations

import unicodedata
from collections import deque
from dataclasses import dataclass, field
from functools import lru_cache

from app.services.grading.normalise import (
    APOSTROPHE,
    clean_word,
    is_contraction_word,
    is_separator,
    split_words,
)

MAX_GRAMMAR_LENGTH = 5_000
"""Characters in one accepted string."""
MAX_NESTING = 8
"""Depth of choices inside choices."""
MAX_WORD_EDGES = 10_000
"""Distinct words between two word boundaries, summed over one accepted string.

Only reached by choices inside a single word (``[a/b][c/d]…`` with no spaces),
whose variants multiply."""


class GrammarError(ValueError):
    """An accepted answer that cannot be compiled; ``position`` is a 0-based offset into it."""

    def __init__(self, message: str, *, position: int, answer_index: int | None = None) -> None:
        where = f"at position {position}"
        if answer_index is not None:
            where = f"in accepted answer {answer_index}, {where}"
        super().__init__(f"{message} ({where})")
        self.message = message
        self.position = position
        self.answer_index = answer_index


@dataclass(slots=True)
class _CharGraph:
    char_edges: list[list[tuple[str, int]]] = field(default_factory=list)
    empty_edges: list[list[int]] = field(default_factory=list)
    positions: list[int] = field(default_factory=list)
    end: int = 0

    def new_node(self, position: int) -> int:
        self.char_edges.append([])
        self.empty_edges.append([])
        self.positions.append(position)
        return len(self.positions) - 1


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.graph = _CharGraph()

    def parse(self) -> _CharGraph:
        start = self.graph.new_node(0)
        index, end = self._sequence(0, start, depth=0, in_choice=False)
        assert index == len(self.text)
        self.graph.end = end
        return self.graph

    def _sequence(self, index: int, node: int, *, depth: int, in_choice: bool) -> tuple[int, int]:
        """Read text up to the end of the current option; return (index, last node)."""
        text = self.text
        while index < len(text):
            char = text[index]
            if char == "[":
                index, node = self._choice(index, node, depth=depth)
            elif char == "]":
                if not in_choice:
                    raise GrammarError("']' without a matching '['", position=index)
                return index, node
            elif char == "/" and in_choice:
                return index, node
            else:
                following = self.graph.new_node(index + 1)
                self.graph.char_edges[node].append((char, following))
                node = following
                index += 1
        return index, node

    def _choice(self, open_at: int, entry: int, *, depth: int) -> tuple[int, int]:
        if depth >= MAX_NESTING:
            raise GrammarError(f"choices nested more than {MAX_NESTING} deep", position=open_at)
        index = open_at + 1
        option_ends: list[int] = []
        has_text = False
        while True:
            option_start = self.graph.new_node(index)
            self.graph.empty_edges[entry].append(option_start)
            index, option_end = self._sequence(index, option_start, depth=depth + 1, in_choice=True)
            has_text = has_text or option_end != option_start
            option_ends.append(option_end)
            if index >= len(self.text):
                raise GrammarError("'[' is never closed", position=open_at)
            index += 1
            if self.text[index - 1] == "]":
                break
        if not has_text:
            raise GrammarError("a choice needs at least one non-empty option", position=open_at)
        # Allocated after the options so that node ids keep increasing along edges.
        exit_node = self.graph.new_node(index)
        for option_end in option_ends:
            self.graph.empty_edges[option_end].append(exit_node)
        return index, exit_node


@dataclass(frozen=True, slots=True)
class WordEdge:
    """One word between two word boundaries.

    ``lead`` is the text before the word along this path (spaces, "¿"), ``text``
    the word as the author wrote it; together they render the answer.
    """

    source: int
    target: int
    word: str
    lead: str
    text: str


@dataclass(frozen=True, slots=True)
class WordGraph:
    """The words of one accepted string; node 0 is the start, node ids are topological."""

    edges: tuple[WordEdge, ...]
    finals: dict[int, str]
    """Final node → the text that follows the last word (e.g. "?")."""


@dataclass(frozen=True, slots=True)
class _Token:
    lead: str
    raw: str
    word: str
    end: int


class _WordReader:
    """Reads the words a character graph can produce, one boundary at a time."""

    def __init__(self, graph: _CharGraph) -> None:
        self.graph = graph
        self._closures: dict[int, tuple[int, ...]] = {}
        self._raw_words: dict[tuple[int, int], list[tuple[str, int]]] = {}
        self._scans: dict[tuple[int, bool], tuple[list[_Token], str | None]] = {}
        self.words_read = 0

    def closure(self, node: int) -> tuple[int, ...]:
        """Nodes reachable through empty edges, in option order."""
        cached = self._closures.get(node)
        if cached is not None:
            return cached
        seen: dict[int, None] = {node: None}
        for following in self.graph.empty_edges[node]:
            for reached in self.closure(following):
                seen.setdefault(reached)
        result = tuple(seen)
        self._closures[node] = result
        return result

    def raw_words(self, node: int, edge_index: int) -> list[tuple[str, int]]:
        """Every raw word that starts with this character edge: (text, node after its last char)."""
        key = (node, edge_index)
        cached = self._raw_words.get(key)
        if cached is not None:
            return cached
        first_char, after_first = self.graph.char_edges[node][edge_index]
        found: list[tuple[str, int]] = []
        stack = [(after_first, first_char)]
        while stack:
            current, text = stack.pop()
            ends_here = False
            continuations: list[tuple[int, str]] = []
            for reached in self.closure(current):
                if reached == self.graph.end:
                    ends_here = True
                for char, following in self.graph.char_edges[reached]:
                    if is_separator(char):
                        ends_here = True
                    else:
                        continuations.append((following, text + char))
            if ends_here:
                found.append((text, current))
                self.words_read += 1
                if self.words_read > MAX_WORD_EDGES:
                    raise GrammarError(
                        f"too many word variants (more than {MAX_WORD_EDGES}); "
                        "avoid stacking choices inside one word",
                        position=self.graph.positions[node],
                    )
            stack.extend(reversed(continuations))
        self._raw_words[key] = found
        return found

    def scan(self, node: int, *, after_word: bool) -> tuple[list[_Token], str | None]:
        """Words that can follow ``node``, and the trailing text if the answer may end there.

        After a word, the next word must be preceded by at least one separator
        (otherwise it is the same word continuing).
        """
        key = (node, after_word)
        cached = self._scans.get(key)
        if cached is not None:
            return cached
        tokens: list[_Token] = []
        trailing: str | None = None
        seen: set[tuple[int, bool]] = set()
        queue: deque[tuple[int, bool, str]] = deque([(node, not after_word, "")])
        while queue:
            current, may_start, lead = queue.popleft()
            if (current, may_start) in seen:
                continue
            seen.add((current, may_start))
            if current == self.graph.end and trailing is None:
                trailing = lead
            for following in self.graph.empty_edges[current]:
                queue.append((following, may_start, lead))
            for edge_index, (char, following) in enumerate(self.graph.char_edges[current]):
                if is_separator(char):
                    queue.append((following, True, lead + char))
                elif may_start:
                    for raw, end in self.raw_words(current, edge_index):
                        word = clean_word(raw)
                        if word:
                            tokens.append(_Token(lead, raw, word, end))
                            continue
                        # A word of only apostrophes or invisible characters
                        # vanishes, as it does in a learner's answer.
                        more, more_trailing = self.scan(end, after_word=True)
                        skipped = lead + raw
                        tokens.extend(_Token(skipped + t.lead, t.raw, t.word, t.end) for t in more)
                        if more_trailing is not None and trailing is None:
                            trailing = skipped + more_trailing
        result = (tokens, trailing)
        self._scans[key] = result
        return result


@dataclass(slots=True)
class _WordGraphBuilder:
    reader: _WordReader
    edges: dict[tuple[int, str, int], WordEdge] = field(default_factory=dict)
    pending: deque[int] = field(default_factory=deque)
    visited: set[int] = field(default_factory=set)

    def build(self) -> WordGraph:
        finals: dict[int, str] = {}
        self.pending.append(0)
        self.visited.add(0)
        while self.pending:
            node = self.pending.popleft()
            at_start = node == 0
            tokens, trailing = self.reader.scan(node, after_word=not at_start)
            if trailing is not None:
                finals[node] = trailing
            for token in tokens:
                word = token.word
                if is_contraction_word(word):
                    if not at_start:
                        continue  # attached to the word before; see _add
                    word = word.lstrip(APOSTROPHE)
                self._add(node, token.end, word, token.lead, token.raw)
        if 0 in finals:
            raise GrammarError("the accepted answer can be empty", position=0)
        edges = sorted(self.edges.values(), key=lambda edge: edge.source)
        # A word only followed by a contraction ("I" in "I 'm") leads nowhere on
        # its own; drop such dead ends so every node can still finish the answer.
        live = set(finals)
        for edge in reversed(edges):
            if edge.target in live:
                live.add(edge.source)
        kept = tuple(edge for edge in edges if edge.target in live)
        return WordGraph(edges=kept, finals=finals)

    def _add(self, source: int, target: int, word: str, lead: str, text: str) -> None:
        key = (source, word, target)
        if key not in self.edges:
            self.edges[key] = WordEdge(source, target, word, lead, text)
            if len(self.edges) > MAX_WORD_EDGES:
                raise GrammarError(
                    f"too many word variants (more than {MAX_WORD_EDGES})",
                    position=self.reader.graph.positions[source],
                )
        if target not in self.visited:
            self.visited.add(target)
            self.pending.append(target)
        # "I" followed by "'m" is also the single word "i'm".
        following, _ = self.reader.scan(target, after_word=True)
        for token in following:
            if is_contraction_word(token.word):
                self._add(source, token.end, word + token.word, lead, text + token.raw)


def _plain_sentence(text: str) -> WordGraph:
    """The word graph of a text without choices: a chain, read like a learner's answer.

    Most accepted answers have no choices; this gives the same words as the
    general path, faster (node ids are word numbers rather than character offsets).
    """
    composed = unicodedata.normalize("NFC", text)
    spans = split_words(composed)
    if not spans:
        raise GrammarError("the accepted answer can be empty", position=0)
    edges: list[WordEdge] = []
    previous_end = 0
    for number, span in enumerate(spans):
        lead = composed[previous_end : span.start]
        edges.append(WordEdge(number, number + 1, span.word, lead, span.written))
        previous_end = span.end
    return WordGraph(edges=tuple(edges), finals={len(spans): composed[previous_end:]})


@lru_cache(maxsize=4_096)
def compile_grammar(text: str) -> WordGraph:
    """Compile one accepted string into its word graph, or raise `GrammarError`."""
    if len(text) > MAX_GRAMMAR_LENGTH:
        raise GrammarError(
            f"the accepted answer is longer than {MAX_GRAMMAR_LENGTH} characters",
            position=MAX_GRAMMAR_LENGTH,
        )
    if not text.strip():
        raise GrammarError("the accepted answer is empty", position=0)
    if "[" not in text and "]" not in text:
        return _plain_sentence(text)
    # Parsed as written (not composed first) so positions point into the author's
    # text; words are composed when they are cleaned.
    graph = _Parser(text).parse()
    return _WordGraphBuilder(_WordReader(graph)).build()


def validate_grammar(text: str) -> None:
    """Raise `GrammarError` if ``text`` is not a valid accepted answer; for use at write time."""
    compile_grammar(text)
