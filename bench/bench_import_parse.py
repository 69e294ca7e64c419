"""Time read_course() of the Basque course against plain yaml.safe_load of its YAML files.

read_course also validates, keeps line numbers and generates every exercise, so
the ratio shows what all of that costs over parsing alone. Both run in the same
process, best of a few rounds.

    .venv/bin/python bench/bench_import_parse.py [course folder]
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.services.librelingo import read_course  # noqa: E402

DEFAULT_COURSE = ROOT.parent / "shared" / "courses" / "basque-from-english"
ROUNDS = 5


def best_of(rounds: int, action: Callable[[], object]) -> float:
    timings = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return min(timings)


def main() -> None:
    course = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_COURSE
    files = sorted(course.rglob("*.yaml"))

    def plain_load() -> None:
        for path in files:
            yaml.safe_load(path.read_bytes())

    read_course(course)  # warm caches and imports
    ours = best_of(ROUNDS, lambda: read_course(course))
    plain = best_of(ROUNDS, plain_load)
    spec = read_course(course)
    exercises = sum(1 for _ in spec.exercises())
    print(f"course: {course.name} ({len(files)} yaml files, {exercises} exercises generated)")
    print(f"read_course:          {ours * 1000:8.1f} ms")
    print(f"yaml.safe_load (all): {plain * 1000:8.1f} ms")
    print(f"ratio read_course / safe_load: {ours / plain:.2f}")


if __name__ == "__main__":
    main()
