"""Alembic migrations: they build the models' schema, and undo cleanly, on every backend."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from app.cli import alembic_config
from app.core.database import Database
from app.models import Base


class TestMigrations:
    def test_migrated_schema_matches_the_models(self, database_url: str) -> None:
        engine = create_engine(database_url)
        with engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        engine.dispose()
        # Expression indexes cannot be reflected on SQLite; everything else must match.
        assert [d for d in differences if "uq_user_username_lower" not in str(d)] == []

    def test_downgrade_to_base_and_back(self, database_url: str, db: Database) -> None:
        config = alembic_config(database_url)
        command.downgrade(config, "base")
        engine = create_engine(database_url)
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        command.upgrade(config, "head")
        assert {"user", "refresh_token"} <= set(inspect(engine).get_table_names())
        engine.dispose()
