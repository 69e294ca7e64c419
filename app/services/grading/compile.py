"""Compile an exercise's accepted answers into one small word graph, cached.

Each accepted string is compiled on its own (see `grammar`), then the graphs
share one start node and are merged: nodes with the same outgoing words (same
endings) and nodes with the same incoming words (same beginnings) become one.
Merging never changes which word sequences are accepted, and it turns 10,000
separately listed variants of one sentence back into a graph of a few dozen
nodes, which keeps typo and diff alignment fast.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from app.services.grading.grammar import GrammarError, WordGraph, compile_grammar
from app.services.grading.normalise import APOSTROPHE, accent_keys, letter_count, primary_language

MAX_ACCEPTED_ANSWERS = 20_000
"""Accepted strings per exercise."""
_MERGE_ROUNDS = 4


@dataclass(frozen=True, slots=True)
class WordInfo:
    """A word of the graph with everything typo checks need, computed once."""

    word: str
    accent_keys: tuple[str, ...]
    bare: str
    """Accents folded and apostrophes removed: what typo distance is measured on."""
    typo_budget: int
    """Edits a typed word may be away from this word and still count as a typo."""


def typo_budget(word: str) -> int:
    """Edit distance tolerated for a word: none up to 3 letters, 1 up to 7, then 2.

    (A 3-letter word still forgives two swapped neighbours, see `is_swap_typo`.)
    Numbers get none: "1990" for "1909" is a different year, not a slip.
    """
    if any(char.isdigit() for char in word):
        return 0
    letters = letter_count(word)
    if letters <= 3:
        return 0
    if letters <= 7:
        return 1
    return 2


SWAPPABLE_LETTERS = 3


def is_swap_typo(typed: str, expected: str) -> bool:
    """Whether ``typed`` is ``expected`` with two neighbouring letters swapped ("cta" for "cat").

    The one slip forgiven in 3-letter words: it keeps every letter, so the
    intended word is clear. Two-letter words are left out ("on" is not "no").
    """
    if len(typed) != len(expected) or letter_count(expected) != SWAPPABLE_LETTERS:
        return False
    if any(char.isdigit() for char in expected):
        return False
    differing = [index for index, (a, b) in enumerate(zip(typed, expected, strict=True)) if a != b]
    return (
        len(differing) == 2
        and differing[1] == differing[0] + 1
        and typed[differing[0]] == expected[differing[1]]
        and typed[differing[1]] == expected[differing[0]]
    )


def make_word_info(word: str, language: str) -> WordInfo:
    keys = accent_keys(word, language)
    return WordInfo(
        word=word,
        accent_keys=keys,
        bare=keys[0].replace(APOSTROPHE, ""),
        typo_budget=typo_budget(word),
    )


@dataclass(frozen=True, slots=True, eq=False)
class CompiledAnswers:
    """All accepted answers of an exercise as one word graph.

    Node 0 is the start; node ids are in topological order (every edge goes to a
    higher id), which is the order the aligners sweep them in.
    """

    language: str
    words: tuple[WordInfo, ...]
    word_ids: Mapping[str, int]
    out_edges: tuple[tuple[tuple[int, int, int], ...], ...]
    """Per node: (word id, target node, detour), in the order answers were given.

    ``detour`` is 1 for an edge no path of the first accepted answer uses: among
    equally close answers, the first one listed is shown."""
    next_by_word: tuple[Mapping[int, tuple[int, ...]], ...]
    """Per node: word id → target nodes, for the exact-match walk."""
    finals: Mapping[int, str]
    """Final node → text after the last word ("?", "!")."""
    edge_text: Mapping[tuple[int, int, int], tuple[str, str]]
    """(source, word id, target) → (text before the word, the word as written)."""
    folded_words: frozenset[str]
    """Accent-folded forms of every word the grammar can produce."""
    accepted: tuple[str, ...]
    words_by_answer: tuple[frozenset[str], ...]
    """Per accepted string, its words accent-folded: to shortlist answers (see `shortlist`)."""

    @property
    def node_count(self) -> int:
        return len(self.out_edges)


@dataclass(slots=True)
class _Edge:
    source: int
    word: int
    target: int
    rank: int
    """Order of appearance; the earliest edge supplies the display text."""
    origin: int
    """Index of the first accepted answer this edge belongs to."""
    lead: str
    text: str


@dataclass(slots=True)
class _Graph:
    """A mutable word graph being merged; node ids are topological, node 0 the start."""

    node_count: int
    edges: list[_Edge]
    finals: dict[int, tuple[int, str]]
    """Final node → (rank, trailing text)."""


def _union(graphs: Sequence[WordGraph], word_ids: dict[str, int]) -> _Graph:
    """Lay the graphs side by side, sharing the start node 0, with dense node ids."""
    edges: list[_Edge] = []
    finals: dict[int, tuple[int, str]] = {}
    next_node = 1
    for origin, graph in enumerate(graphs):
        nodes = sorted({e.target for e in graph.edges} | set(graph.finals))
        # Sorting keeps the ids topological: they increase along every edge.
        renumber = {node: next_node + index for index, node in enumerate(nodes)}
        renumber[0] = 0
        next_node += len(nodes)
        for edge in graph.edges:
            word = word_ids.setdefault(edge.word, len(word_ids))
            edges.append(
                _Edge(
                    renumber[edge.source],
                    word,
                    renumber[edge.target],
                    len(edges),
                    origin,
                    edge.lead,
                    edge.text,
                )
            )
        for node, trailing in graph.finals.items():
            finals[renumber[node]] = (len(edges), trailing)
    return _Graph(next_node, edges, finals)


def _merge(graph: _Graph, *, by_endings: bool) -> _Graph:
    """Merge nodes whose outgoing (or incoming) words lead to the same merged nodes.

    Nodes are visited so that the nodes a signature refers to are already
    grouped, and group ids come out in topological order again.
    """
    neighbours: list[list[_Edge]] = [[] for _ in range(graph.node_count)]
    for edge in graph.edges:
        neighbours[edge.source if by_endings else edge.target].append(edge)
    group_of = [0] * graph.node_count
    groups: dict[tuple[bool, tuple[tuple[int, int], ...]], int] = {}
    if by_endings:
        for node in range(graph.node_count - 1, -1, -1):
            links = {(e.word, group_of[e.target]) for e in neighbours[node]}
            signature = (node in graph.finals, tuple(sorted(links)))
            group_of[node] = groups.setdefault(signature, len(groups))
        # Targets were grouped first, so reversing the ids makes them topological.
        group_of = [len(groups) - 1 - group for group in group_of]
    else:
        for node in range(graph.node_count):
            links = {(e.word, group_of[e.source]) for e in neighbours[node]}
            signature = (node == 0, tuple(sorted(links)))
            group_of[node] = groups.setdefault(signature, len(groups))
    merged: dict[tuple[int, int, int], _Edge] = {}
    for edge in graph.edges:
        key = (group_of[edge.source], edge.word, group_of[edge.target])
        kept = merged.get(key)
        if kept is None:
            merged[key] = _Edge(
                key[0], edge.word, key[2], edge.rank, edge.origin, edge.lead, edge.text
            )
        else:
            kept.origin = min(kept.origin, edge.origin)
            if edge.rank < kept.rank:
                kept.rank, kept.lead, kept.text = edge.rank, edge.lead, edge.text
    finals: dict[int, tuple[int, str]] = {}
    for node, final in graph.finals.items():
        group = group_of[node]
        if group not in finals or final[0] < finals[group][0]:
            finals[group] = final
    return _Graph(len(groups), list(merged.values()), finals)


def _freeze(
    graph: _Graph,
    word_ids: dict[str, int],
    language: str,
    accepted: tuple[str, ...],
    words_by_answer: tuple[frozenset[str], ...],
) -> CompiledAnswers:
    # Among equally good paths the aligners keep the first edge they see, so
    # edges are listed in the order their accepted answers were given.
    edges = sorted(graph.edges, key=lambda edge: edge.rank)
    out_edges: list[list[tuple[int, int, int]]] = [[] for _ in range(graph.node_count)]
    next_by_word: list[dict[int, list[int]]] = [{} for _ in range(graph.node_count)]
    edge_text: dict[tuple[int, int, int], tuple[str, str]] = {}
    for edge in edges:
        detour = 0 if edge.origin == 0 else 1
        out_edges[edge.source].append((edge.word, edge.target, detour))
        next_by_word[edge.source].setdefault(edge.word, []).append(edge.target)
        edge_text[(edge.source, edge.word, edge.target)] = (edge.lead, edge.text)
    words = tuple(make_word_info(word, language) for word in word_ids)
    return CompiledAnswers(
        language=language,
        words=words,
        word_ids=word_ids,
        out_edges=tuple(tuple(node_edges) for node_edges in out_edges),
        next_by_word=tuple(
            {word: tuple(targets) for word, targets in by_word.items()} for by_word in next_by_word
        ),
        finals={node: trailing for node, (_, trailing) in graph.finals.items()},
        edge_text=edge_text,
        folded_words=frozenset(key for info in words for key in info.accent_keys),
        accepted=accepted,
        words_by_answer=words_by_answer,
    )


def _build(accepted: tuple[str, ...], language: str) -> CompiledAnswers:
    if not accepted:
        raise GrammarError("an exercise needs at least one accepted answer", position=0)
    if len(accepted) > MAX_ACCEPTED_ANSWERS:
        raise GrammarError(
            f"more than {MAX_ACCEPTED_ANSWERS} accepted answers; write them as one grammar",
            position=0,
        )
    graphs: list[WordGraph] = []
    for index, text in enumerate(accepted):
        try:
            graphs.append(compile_grammar(text))
        except GrammarError as error:
            raise GrammarError(
                error.message, position=error.position, answer_index=index
            ) from error
    word_ids: dict[str, int] = {}
    graph = _union(graphs, word_ids)
    for _ in range(_MERGE_ROUNDS):
        node_count = graph.node_count
        graph = _merge(graph, by_endings=True)
        graph = _merge(graph, by_endings=False)
        if graph.node_count == node_count:
            break
    words_by_answer = tuple(
        frozenset(accent_keys(edge.word, language)[0] for edge in graph.edges) for graph in graphs
    )
    return _freeze(graph, word_ids, language, accepted, words_by_answer)


_compile = lru_cache(maxsize=1_024)(_build)

SHORTLIST_SIZE = 50
"""Accepted answers kept by `shortlist`."""


def shortlist(compiled: CompiledAnswers, folded_typed: frozenset[str]) -> CompiledAnswers:
    """The accepted answers sharing the most words with an answer, compiled on their own.

    Aligning a wrong answer costs time in proportion to the graph; with
    thousands of unrelated accepted strings the closest one is looked for among
    those with the most words in common (ties: the earlier listed), not all.
    """
    if len(compiled.accepted) <= SHORTLIST_SIZE:
        return compiled
    overlap = [len(folded_typed & words) for words in compiled.words_by_answer]
    best = sorted(range(len(overlap)), key=lambda index: (-overlap[index], index))
    chosen = sorted(best[:SHORTLIST_SIZE])
    return _build(tuple(compiled.accepted[index] for index in chosen), compiled.language)


def compile_answers(accepted: Sequence[str], *, language: str) -> CompiledAnswers:
    """Compile accepted answers (each in the alternatives grammar) into one graph.

    Cached on (answers, primary language): grading the same exercise again
    reuses the graph. Raises `GrammarError` naming the faulty answer.
    """
    return _compile(tuple(accepted), primary_language(language))
