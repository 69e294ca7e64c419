"""Throughput of the database access patterns and of ``GET /users/me``, as ratios of a
bare route in the same run. Needs wrk (``apt-get install wrk``).

    python bench/bench_api.py [--backends sqlite,postgresql] [--seconds 5]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import LoadResult, bench_env, register_and_login, serve, temporary_database, wrk


def run_backend(backend: str, *, seconds: int) -> None:
    print(f"\n## {backend}, 1 worker, wrk -t1 -c32 -d{seconds}s")
    with temporary_database(backend) as url:
        env = bench_env(url)
        with serve("app.main:build", env=env) as server:
            token = register_and_login(server.base_url)
            auth = {"Authorization": f"Bearer {token}"}
            health = wrk(server.base_url + "/health", seconds=seconds)
            me = wrk(server.base_url + "/api/v1/users/me", seconds=seconds, headers=auth)
            patch = wrk(
                server.base_url + "/api/v1/users/me",
                seconds=seconds,
                headers=auth,
                script=Path(__file__).with_name("patch_me.lua"),
            )
        print(health.row("grader /health (baseline)", None))
        print(me.row("grader GET /api/v1/users/me (JWT + 1 read)", health))
        print(patch.row("grader PATCH /api/v1/users/me (1-row write)", health))

        with serve("bench.patterns_app:build", env=env) as server:
            ping = wrk(server.base_url + "/health", seconds=seconds)
            rows: list[tuple[str, LoadResult]] = []
            for label, path in (
                ("A: def + Depends(yield session)", "/a/users/1"),
                ("C: def + own session", "/c/users/1"),
                ("D: async + run_in_threadpool(unit of work)", "/d/users/1"),
                ("G: async + db.read (grader)", "/g/users/1"),
            ):
                rows.append((label, wrk(server.base_url + path, seconds=seconds)))
        print(ping.row("patterns /health (baseline)", None))
        for label, result in rows:
            print(result.row(label, ping))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    default = (
        "sqlite,postgresql"
        if os.environ.get("DATABASE_URL", "").startswith("postgres")
        else "sqlite"
    )
    parser.add_argument("--backends", default=default)
    parser.add_argument("--seconds", type=int, default=5)
    args = parser.parse_args()
    for backend in args.backends.split(","):
        run_backend(backend, seconds=args.seconds)


if __name__ == "__main__":
    main()
