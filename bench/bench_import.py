"""Time importing the Basque course into a fresh database, as a ratio against parsing its YAML.

The baseline is plain ``yaml.safe_load`` of every .yaml file of the course,
measured in the same run (the machines are shared and noisy). Then, for SQLite
and (when ``DATABASE_URL`` points at PostgreSQL) PostgreSQL, in a freshly
migrated database:

- first import: read + check + write everything (``content_import.import_folder``),
  and the database part alone (``import_course`` on an already-read spec);
- re-import of the unchanged course: everything is compared, nothing is written.

    .venv/bin/python bench/bench_import.py [course folder]
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import delete  # noqa: E402

from app.core.database import Database  # noqa: E402
from app.models import Course  # noqa: E402
from app.services import content_import  # noqa: E402
from app.services.librelingo import read_course  # noqa: E402
from bench.common import temporary_database  # noqa: E402

SHARED = ROOT.parent / "shared" / "courses" / "basque-from-english"
ROUNDS = 3


def best_of(
    rounds: int, action: Callable[[], object], *, before: Callable[[], object] | None = None
) -> float:
    timings = []
    for _ in range(rounds):
        if before is not None:
            before()
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return min(timings)


def row(label: str, seconds: float, baseline: float) -> str:
    return f"{label:<44} {seconds * 1000:8.0f} ms  {seconds / baseline:6.2f}x"


def bench_backend(backend: str, course: Path, baseline: float) -> None:
    spec = read_course(course)
    content_import.check_course(spec)
    with temporary_database(backend) as url:
        db = Database(url, pool_size=2)
        try:

            def empty() -> None:
                db.run_write(lambda session: session.execute(delete(Course)))

            def full_import() -> None:
                content_import.import_folder(db, course, slug="bench")

            def write_only() -> None:
                db.run_write(
                    lambda session: content_import.import_course(
                        session, spec=spec, slug="bench", actor=None
                    )
                )

            first_full = best_of(ROUNDS, full_import, before=empty)
            first_write = best_of(ROUNDS, write_only, before=empty)
            write_only()
            again_full = best_of(ROUNDS, full_import)
            outcome = content_import.import_folder(db, course, slug="bench")
            again_write = best_of(ROUNDS, write_only)
        finally:
            db.dispose()
    assert not outcome.changed, "a re-import of the same files changed something"
    print(f"\n{backend}:")
    print(row("first import (read + check + write)", first_full, baseline))
    print(row("first import, database part only", first_write, baseline))
    print(row("re-import unchanged (read + check + compare)", again_full, baseline))
    print(row("re-import unchanged, database part only", again_write, baseline))


def main() -> None:
    if len(sys.argv) > 1:
        course = Path(sys.argv[1])
    elif SHARED.is_dir():
        course = SHARED
    else:
        print(f"The Basque course is not at {SHARED}; pass a course folder. Skipped.")
        return
    files = sorted(course.rglob("*.yaml"))

    def plain_load() -> None:
        for path in files:
            yaml.safe_load(path.read_bytes())

    def read_and_check() -> None:
        content_import.check_course(read_course(course))

    read_and_check()  # warm imports and caches
    baseline = best_of(ROUNDS, plain_load)
    spec = read_course(course)
    print(
        f"course: {course.name}: {len(files)} yaml files, {len(list(spec.lessons()))} lessons, "
        f"{len(list(spec.items()))} items, {len(list(spec.exercises()))} exercises"
    )
    print(row("yaml.safe_load of every file (baseline)", baseline, baseline))
    print(row("read_course + check_course", best_of(ROUNDS, read_and_check), baseline))
    backends = ["sqlite"]
    if os.environ.get("DATABASE_URL", "").startswith("postgresql"):
        backends.append("postgresql")
    for backend in backends:
        bench_backend(backend, course, baseline)


if __name__ == "__main__":
    main()
