"""The grader command: migrate and create-admin."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, select
from sqlalchemy.orm import Session

from app.cli import main
from app.core.config import get_settings
from app.models.user import Role, User

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def fresh_sqlite(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("GRADER_DATABASE_URL", url)
    monkeypatch.setenv("GRADER_SECRET_KEY", "cli-test-secret-key-0123456789-abcdef")
    monkeypatch.setenv("GRADER_PASSWORD_HASH_MEMORY_KIB", "1024")
    monkeypatch.setenv("GRADER_PASSWORD_HASH_TIME_COST", "1")
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


class TestMigrate:
    def test_migrate_creates_every_table(self, fresh_sqlite: str) -> None:
        assert main(["migrate"]) == 0
        tables = set(inspect(create_engine(fresh_sqlite)).get_table_names())
        assert {"user", "refresh_token", "alembic_version"} <= tables

    def test_migrate_twice_is_harmless(self, fresh_sqlite: str) -> None:
        assert main(["migrate"]) == 0
        assert main(["migrate"]) == 0


class TestCreateAdmin:
    def test_creates_an_admin_who_can_sign_in(
        self, fresh_sqlite: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        main(["migrate"])
        code = main(
            ["create-admin", "--email", "Root@Example.com", "--username", "root",
             "--password", "a long admin passphrase"]
        )  # fmt: skip
        assert code == 0
        assert "Created admin root" in capsys.readouterr().out
        with Session(create_engine(fresh_sqlite)) as session:
            admin = session.scalars(select(User)).one()
        assert admin.role == Role.admin
        assert admin.email == "root@example.com"
        assert admin.password_hash.startswith("$argon2id$")

    def test_weak_password_is_refused_with_the_rule(self, fresh_sqlite: str) -> None:
        main(["migrate"])
        with pytest.raises(SystemExit, match="at least 10 characters"):
            main(["create-admin", "--email", "r@example.com", "--username", "root",
                  "--password", "short"])  # fmt: skip

    def test_existing_account_is_refused(self, fresh_sqlite: str) -> None:
        main(["migrate"])
        args = ["create-admin", "--email", "r@example.com", "--username", "root",
                "--password", "a long admin passphrase"]  # fmt: skip
        main(args)
        with pytest.raises(SystemExit, match="already taken"):
            main(args)

    def test_missing_values_without_a_terminal_name_the_option(self, fresh_sqlite: str) -> None:
        main(["migrate"])
        result = subprocess.run(
            [sys.executable, "-m", "app.cli", "create-admin", "--email", "r@example.com"],
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
        )
        assert result.returncode != 0
        assert "username is required" in result.stderr


class TestCloseWeek:
    def test_closing_a_past_week_reports_what_it_did(
        self, fresh_sqlite: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        main(["migrate"])
        assert main(["close-week", "--week", "2026-11-04"]) == 0  # a Wednesday
        assert "Week of 2026-11-02: closed 0 league(s)" in capsys.readouterr().out

    def test_the_running_week_cannot_be_closed(self, fresh_sqlite: str) -> None:
        main(["migrate"])
        with pytest.raises(SystemExit, match="has not ended yet"):
            main(["close-week", "--week", "2999-01-01"])

    def test_default_is_last_week(
        self, fresh_sqlite: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        main(["migrate"])
        assert main(["close-week"]) == 0
        assert "closed 0 league(s)" in capsys.readouterr().out
