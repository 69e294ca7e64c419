"""Micro-benchmark of the grading engine: verdicts per second as a ratio to a plain baseline.

Run: .venv/bin/python bench/bench_grading.py

The baseline, measured in the same run, is the cheapest possible grader: NFC +
casefold + strip punctuation, then a lookup in a pre-normalised set of every
accepted sentence spelled out. It can only say "exact or not"; the engine also
judges accents, typos and builds a diff. Ratios are engine / baseline
throughput (so 0.05 means the engine manages 1 verdict for every 20 baseline lookups).
"""

from __future__ import annotations

import itertools
import statistics
import sys
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.services.grading import compile_answers, grade_text

SUBJECTS = [
    "El niño", "La niña", "Mi hermano", "Mi hermana", "El médico",
    "La médica", "Juan", "María", "El chico", "La chica",
]  # fmt: skip
VERBS = ["come", "compra", "quiere", "busca", "prefiere", "lava", "corta", "vende", "ve", "pinta"]
OBJECTS = [
    "una manzana roja", "una pera verde", "un plátano", "una fresa", "un limón",
    "una naranja", "un melón", "una uva", "un higo", "una ciruela",
]  # fmt: skip
PLACES = [
    "en el jardín", "en la cocina", "en la calle", "en el parque", "en la playa",
    "en casa", "en el mercado", "en la escuela", "en el tren", "en la tienda",
]  # fmt: skip

ANSWERS = {
    "exact": "el niño come una manzana roja en el jardín",
    "accent": "el nino come una manzana roja en el jardin",
    "typo": "El niño come una manzanna roja en el jardín",
    "wrong": "El niño come una manzana verde en la casa",
}


def choice(options: list[str]) -> str:
    return "[" + "/".join(options) + "]"


def exercises() -> dict[str, tuple[list[str], list[str]]]:
    """Name → (accepted strings, every sentence they accept)."""
    slots_by_size = {
        1: ([SUBJECTS[:1], VERBS[:1], OBJECTS[:1], PLACES[:1]]),
        100: ([SUBJECTS, VERBS, OBJECTS[:1], PLACES[:1]]),
        10_000: ([SUBJECTS, VERBS, OBJECTS, PLACES]),
    }
    result: dict[str, tuple[list[str], list[str]]] = {}
    for size, slots in slots_by_size.items():
        expanded = [" ".join(words) + "." for words in itertools.product(*slots)]
        grammar = " ".join(choice(options) if len(options) > 1 else options[0] for options in slots)
        result[f"{size:>6} as one grammar"] = ([grammar + "."], expanded)
        if size > 1:
            result[f"{size:>6} separate strings"] = (expanded, expanded)
    # The real worst case: 10,000 sentences with nothing in common to merge.
    unrelated = [
        f"Frase {i} número {i * 7} con palabras distintas como p{i} y q{i % 97}"
        for i in range(9_999)
    ]
    unrelated.append(ANSWERS["exact"].capitalize() + ".")
    result[" 10000 unrelated strings"] = (unrelated, unrelated)
    return result


def baseline_normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text).casefold()
    kept = "".join(
        " " if unicodedata.category(char)[0] in "PZ" and char != "'" else char for char in text
    )
    return " ".join(kept.split())


def best_rate(run: Callable[[], object], *, budget: float = 0.05, repeats: int = 5) -> float:
    """Calls per second: best of ``repeats`` timed batches of about ``budget`` seconds."""
    calls = 1
    while True:  # calibrate the batch size
        start = time.perf_counter()
        for _ in range(calls):
            run()
        elapsed = time.perf_counter() - start
        if elapsed >= budget / 4 or calls >= 1 << 20:
            break
        calls *= 4
    calls = max(1, int(calls * budget / max(elapsed, 1e-9)))
    rates = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(calls):
            run()
        rates.append(calls / (time.perf_counter() - start))
    return max(rates)


def bench_exercises() -> None:
    print("Verdicts per second, engine vs baseline (set lookup of the expanded sentences)")
    print(f"{'accepted answers':<26}{'compile ms':>11}  " + "".join(f"{k:>22}" for k in ANSWERS))
    for name, (accepted, expanded) in exercises().items():
        start = time.perf_counter()
        compile_answers(accepted, language="es")
        compile_ms = (time.perf_counter() - start) * 1000
        normalised = {baseline_normalise(sentence) for sentence in expanded}
        cells = []
        for answer in ANSWERS.values():
            rate = best_rate(
                lambda answer=answer, accepted=accepted: grade_text(
                    answer, accepted=accepted, language="es"
                )
            )
            base = best_rate(
                lambda answer=answer, normalised=normalised: (
                    baseline_normalise(answer) in normalised
                )
            )
            cells.append(f"{rate:>9,.0f}/s ({rate / base:.3f})")
        print(f"{name:<26}{compile_ms:>11.1f}  " + "".join(f"{c:>22}" for c in cells))


def letters(number: int) -> str:
    """A number spelled in letters (words with digits get no typo tolerance)."""
    text = ""
    while True:
        number, digit = divmod(number, 26)
        text += chr(ord("a") + digit)
        if not number:
            return text


def bench_million() -> None:
    print("\nA million sentences as one grammar (compile: a fresh grammar each time; median of 5)")
    grammars: dict[str, Callable[[int], str]] = {
        "20 binary choices": lambda n: " ".join(
            choice([f"{letters(i)}one{letters(n)}", f"{letters(i)}two{letters(n)}"])
            for i in range(20)
        ),
        "6 choices of 10": lambda n: " ".join(
            choice([f"{letters(slot)}word{letters(option)}{letters(n)}" for option in range(10)])
            for slot in range(6)
        ),
    }
    for name, make in grammars.items():
        compile_times = []
        for n in range(5):
            start = time.perf_counter()
            compile_answers([make(n)], language="en")
            compile_times.append((time.perf_counter() - start) * 1000)
        grammar = make(0)
        words = [option.strip("[]").split("/")[-1] for option in grammar.split(" ")]
        answers = {
            "exact": " ".join(words),
            "typo": " ".join([*words[:-1], words[-1][:3] + words[-1][2:]]),
            "wrong": " ".join(words[:-2]),
        }
        timings = []
        for kind, answer in answers.items():
            per_verdict = []
            for _ in range(5):
                start = time.perf_counter()
                verdict = grade_text(answer, accepted=[grammar], language="en")
                per_verdict.append((time.perf_counter() - start) * 1000)
            median = statistics.median(per_verdict)
            timings.append(f"{kind} ({verdict.kind.value}) {median:.2f} ms")
        compile_ms = statistics.median(compile_times)
        print(f"  {name:<18} compile {compile_ms:7.2f} ms; " + "; ".join(timings))


def main() -> None:
    start = time.perf_counter()
    bench_exercises()
    bench_million()
    print(f"\ntotal {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
