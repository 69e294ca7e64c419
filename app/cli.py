"""The ``grader`` command: serve, migrate, create-admin, import/export-course, close-week."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from pathlib import Path

from alembic import command
from alembic.config import Config
from pydantic import TypeAdapter, ValidationError

from app.core.clock import Clock
from app.core.config import PROJECT_ROOT, get_settings
from app.core.database import Database
from app.core.errors import GraderError
from app.core.security import PasswordHasher
from app.models.user import Role
from app.schemas.users import UserRegister
from app.services import content_export, content_import, courses, leaderboard, users
from app.services.librelingo import CourseFormatError, write_course


def alembic_config(database_url: str) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "alembic"))
    # ConfigParser treats % as interpolation; URLs may contain it (escaped passwords).
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def migrate(database_url: str | None = None) -> None:
    """Bring the database schema to the newest migration."""
    command.upgrade(alembic_config(database_url or get_settings().database_url), "head")


def _ask(prompt: str, *, secret: bool = False) -> str:
    if not sys.stdin.isatty():
        raise SystemExit(f"grader: {prompt.lower()} is required (pass it as an option)")
    return getpass.getpass(f"{prompt}: ") if secret else input(f"{prompt}: ")


def create_admin(*, email: str | None, username: str | None, password: str | None) -> int:
    email = email or _ask("Email")
    username = username or _ask("Username")
    if password is None:
        password = _ask("Password", secret=True)
        if _ask("Repeat password", secret=True) != password:
            raise SystemExit("grader: the passwords do not match")
    try:
        data = TypeAdapter(UserRegister).validate_python(
            {"email": email, "username": username, "password": password}
        )
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
        raise SystemExit(f"grader: {problems}") from error
    settings = get_settings()
    hasher = PasswordHasher(
        memory_kib=settings.password_hash_memory_kib, time_cost=settings.password_hash_time_cost
    )
    password_hash = hasher.hash(data.password)
    db = Database(settings.database_url, pool_size=1)
    try:
        user = db.run_write(
            lambda session: users.create(
                session,
                email=data.email,
                username=data.username,
                password_hash=password_hash,
                role=Role.admin,
            )
        )
    except GraderError as error:
        raise SystemExit(f"grader: {error.message}") from error
    finally:
        db.dispose()
    print(f"Created admin {user.username} <{user.email}> (id {user.id}).")
    return 0


def _describe(outcome: content_import.ImportOutcome) -> str:
    counts = outcome.counts
    lines = [f"Course '{outcome.course.slug}' (id {outcome.course.id}):"]
    for kind in ("course", "units", "lessons", "items", "exercises"):
        change = getattr(counts, kind)
        lines.append(
            f"  {kind:<9} {change.created:>5} created {change.updated:>5} updated "
            f"{change.deleted:>5} deleted {change.unchanged:>5} unchanged"
        )
    return "\n".join(lines)


def import_course(*, path: Path, slug: str | None, published: bool | None) -> int:
    """Import (or re-import) a LibreLingo course folder and print what changed."""
    db = Database(get_settings().database_url, pool_size=1)
    try:
        outcome = content_import.import_folder(db, path, slug=slug, published=published)
    except CourseFormatError as error:
        raise SystemExit(f"grader: the course cannot be imported: {error}") from error
    finally:
        db.dispose()
    for warning in outcome.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(_describe(outcome))
    return 0


def export_course(*, slug_or_id: str, dest: Path) -> int:
    """Write a course from the database as a LibreLingo course folder."""
    db = Database(get_settings().database_url, pool_size=1)
    try:
        with db.session() as session:
            course_id = courses.find_course_id(session, slug_or_id=slug_or_id)
            spec = content_export.course_spec(session, course_id=course_id, exercises=False)
        write_course(spec, dest)
    except (GraderError, CourseFormatError) as error:
        raise SystemExit(f"grader: {error}") from error
    finally:
        db.dispose()
    print(f"Wrote '{spec.title}' to {dest}.")
    return 0


def close_week(*, week: date | None) -> int:
    """Close a week's leagues (idempotent: closed leagues are left as they are)."""
    now = Clock().now()
    monday = leaderboard.week_of(datetime.combine(week, time(12), UTC)) if week else None
    db = Database(get_settings().database_url, pool_size=1)
    try:
        result = db.run_write(
            lambda session: leaderboard.close_week(
                session, week=monday or leaderboard.last_finished_week(now), now=now
            )
        )
    except GraderError as error:
        raise SystemExit(f"grader: {error.message}") from error
    finally:
        db.dispose()
    print(
        f"Week of {result.week.isoformat()}: closed {result.leagues_closed} league(s), "
        f"{result.promoted} promoted, {result.demoted} demoted."
    )
    return 0


def load_demo_course() -> None:
    """Import the demo course on first start (setting ``load_demo_course``)."""
    settings = get_settings()
    if not settings.load_demo_course:
        return
    db = Database(settings.database_url, pool_size=1)
    try:
        outcome = content_import.ensure_demo_course(db)
    finally:
        db.dispose()
    if outcome is not None:
        print(f"Loaded the demo course '{outcome.course.title}' ({outcome.course.slug}).")


def serve(*, host: str, port: int, workers: int, reload: bool) -> int:
    import uvicorn

    uvicorn.run(
        "app.main:build",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        reload=reload,
        access_log=False,  # costs a third of throughput; use a proxy's log instead
        proxy_headers=True,
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="grader", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    serve_cmd = sub.add_parser("serve", help="run the HTTP server")
    serve_cmd.add_argument("--host", default="127.0.0.1")
    serve_cmd.add_argument("--port", type=int, default=8000)
    serve_cmd.add_argument("--workers", type=int, default=1)
    serve_cmd.add_argument("--reload", action="store_true", help="restart on code changes")
    serve_cmd.add_argument("--no-migrate", action="store_true", help="skip migrations")

    sub.add_parser("migrate", help="apply database migrations")

    importer = sub.add_parser(
        "import-course", help="import or update a LibreLingo course folder (prints counts)"
    )
    importer.add_argument("path", type=Path, help="the folder holding course.yaml")
    importer.add_argument("--slug", help="default: the folder's name")
    publish = importer.add_mutually_exclusive_group()
    publish.add_argument("--publish", dest="published", action="store_const", const=True)
    publish.add_argument("--unpublish", dest="published", action="store_const", const=False)

    exporter = sub.add_parser("export-course", help="write a course as a LibreLingo folder")
    exporter.add_argument("slug_or_id", help="the course's slug or id")
    exporter.add_argument("dest", type=Path, help="the folder to write (created if needed)")

    closer = sub.add_parser(
        "close-week", help="rank the finished week's leagues and move learners between tiers"
    )
    closer.add_argument(
        "--week",
        type=date.fromisoformat,
        help="any day of the week to close (default: last week); safe to run again",
    )

    admin = sub.add_parser("create-admin", help="create an administrator account")
    admin.add_argument("--email")
    admin.add_argument("--username")
    admin.add_argument("--password", help="asked for when omitted in a terminal")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "migrate":
        migrate()
        print("Database is up to date.")
        return 0
    if args.command == "create-admin":
        return create_admin(email=args.email, username=args.username, password=args.password)
    if args.command == "import-course":
        return import_course(path=args.path, slug=args.slug, published=args.published)
    if args.command == "export-course":
        return export_course(slug_or_id=args.slug_or_id, dest=args.dest)
    if args.command == "close-week":
        return close_week(week=args.week)
    if args.command == "serve":
        if not args.no_migrate:
            migrate()
        load_demo_course()
        return serve(host=args.host, port=args.port, workers=args.workers, reload=args.reload)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
