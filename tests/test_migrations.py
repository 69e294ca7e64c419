"""Alembic migrations: they build the models' schema, and undo cleanly, on every backend."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.cli import alembic_config
from app.core.database import Database
from app.models import Base, User


class TestMigrations:
    # SQLite cannot reflect expression indexes; the next test checks that one directly.
    @pytest.mark.filterwarnings("ignore:.*expression-based index:UserWarning")
    @pytest.mark.filterwarnings("ignore:.*expression-based index:sqlalchemy.exc.SAWarning")
    def test_migrated_schema_matches_the_models(self, database_url: str) -> None:
        engine = create_engine(database_url)
        with engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        engine.dispose()
        assert [d for d in differences if "uq_user_username_lower" not in str(d)] == []

    def test_usernames_are_unique_regardless_of_case_in_the_database(
        self, database_url: str, db: Database
    ) -> None:
        def add(session: Session, name: str) -> None:
            session.add(User(email=f"{name}@example.com", username=name, password_hash="x"))

        db.run_write(lambda session: add(session, "Ana"))
        with pytest.raises(IntegrityError):
            db.run_write(lambda session: add(session, "aNA"))

    def test_downgrade_to_base_and_back(self, database_url: str, db: Database) -> None:
        config = alembic_config(database_url)
        command.downgrade(config, "base")
        engine = create_engine(database_url)
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        command.upgrade(config, "head")
        assert {"user", "refresh_token"} <= set(inspect(engine).get_table_names())
        engine.dispose()
