"""Settings, read once from the environment (prefix ``GRADER_``) and ``.env``."""

from __future__ import annotations

import secrets
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from pydantic import AliasChoices, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[2]

# Keys that appear in docs and examples; production refuses to run with them.
KNOWN_DEFAULT_KEYS = frozenset({"", "change-me", "changeme", "secret", "dev", "development"})
MIN_SECRET_KEY_LENGTH = 32


class Environment(StrEnum):
    development = "development"
    test = "test"
    production = "production"


class ConfigurationError(RuntimeError):
    """The server cannot start with these settings; the message says what to set."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="GRADER_", env_file=".env", extra="ignore", populate_by_name=True
    )

    environment: Environment = Environment.development
    database_url: str = Field(
        default=f"sqlite:///{PROJECT_ROOT / 'grader.db'}",
        validation_alias=AliasChoices("GRADER_DATABASE_URL", "DATABASE_URL"),
    )
    redis_url: str | None = Field(
        default=None, validation_alias=AliasChoices("GRADER_REDIS_URL", "REDIS_URL")
    )
    # Namespaces every Redis key, so several deployments (or test runs) can share a server.
    redis_key_prefix: str = "grader:"
    secret_key: str = ""
    secret_key_file: Path = PROJECT_ROOT / ".secret_key"
    access_token_minutes: int = Field(default=15, ge=1, le=24 * 60)
    refresh_token_days: int = Field(default=30, ge=1, le=365)
    # Connections per worker process; also the size of its database thread pool.
    # Argon2id cost; the defaults follow OWASP's guidance. Tests lower them.
    password_hash_memory_kib: int = Field(default=65536, ge=1024)
    password_hash_time_cost: int = Field(default=3, ge=1)
    database_pool_size: int = Field(default=10, ge=1, le=200)
    login_attempts_per_account: int = Field(default=10, ge=1)
    login_attempts_per_client: int = Field(default=30, ge=1)
    login_window_seconds: int = Field(default=300, ge=1)
    max_body_bytes: int = Field(default=1_000_000, ge=1024)
    max_upload_bytes: int = Field(default=20_000_000, ge=1024)
    load_demo_course: bool = True
    cors_origins: list[str] = []

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @model_validator(mode="after")
    def _resolve_secret_key(self) -> Settings:
        if self.environment is Environment.production:
            if (
                self.secret_key.strip().lower() in KNOWN_DEFAULT_KEYS
                or len(self.secret_key) < MIN_SECRET_KEY_LENGTH
            ):
                raise ConfigurationError(
                    "GRADER_SECRET_KEY must be set to a random value of at least "
                    f"{MIN_SECRET_KEY_LENGTH} characters in production, e.g. "
                    "`python -c 'import secrets; print(secrets.token_urlsafe(48))'`."
                )
            return self
        if not self.secret_key:
            self.secret_key = _development_secret_key(self.secret_key_file)
        return self


def _development_secret_key(path: Path) -> str:
    """Generate a key once and keep it, so restarts do not log everybody out."""
    if path.exists():
        key = path.read_text(encoding="utf-8").strip()
        if key:
            return key
    key = secrets.token_urlsafe(48)
    path.write_text(key + "\n", encoding="utf-8")
    path.chmod(0o600)
    return key


@lru_cache
def get_settings() -> Settings:
    return Settings()
