"""Settings: secret key handling and database selection."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.config import ConfigurationError, Settings


class TestSecretKey:
    def test_development_generates_a_key_once_and_keeps_it(self, tmp_path: Path) -> None:
        key_file = tmp_path / ".secret_key"
        first = Settings(environment="development", secret_key="", secret_key_file=key_file)
        second = Settings(environment="development", secret_key="", secret_key_file=key_file)
        assert len(first.secret_key) >= 32
        assert first.secret_key == second.secret_key
        assert key_file.stat().st_mode & 0o077 == 0  # readable by the owner only

    @pytest.mark.parametrize("key", ["", "change-me", "secret", "short-but-random"])
    def test_production_refuses_a_missing_default_or_short_key(self, key: str) -> None:
        with pytest.raises(ConfigurationError, match="GRADER_SECRET_KEY"):
            Settings(environment="production", secret_key=key)

    def test_production_accepts_a_long_random_key(self) -> None:
        settings = Settings(environment="production", secret_key="k" * 20 + "0123456789abcdef")
        assert settings.secret_key.startswith("k")


class TestDatabaseUrl:
    def test_default_is_a_sqlite_file_in_the_project(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.delenv("DATABASE_URL", raising=False)
        monkeypatch.delenv("GRADER_DATABASE_URL", raising=False)
        settings = Settings(_env_file=None, secret_key="x" * 40)  # type: ignore[call-arg]
        assert settings.is_sqlite
        assert settings.database_url.endswith("grader.db")

    def test_plain_database_url_variable_is_honoured(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://u@h/db")
        monkeypatch.delenv("GRADER_DATABASE_URL", raising=False)
        settings = Settings(_env_file=None, secret_key="x" * 40)  # type: ignore[call-arg]
        assert settings.database_url == "postgresql+psycopg://u@h/db"
        assert not settings.is_sqlite
