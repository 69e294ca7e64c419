"""Importing LibreLingo courses into the database: counts, re-import as an update,
rejection of broken courses, export round trips, the demo course and the CLI."""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.cli import main as cli_main
from app.core.config import get_settings
from app.core.database import Database
from app.models import Course, Exercise, Item, Lesson
from app.services import content_export, content_import
from app.services.content_import import ImportOutcome
from app.services.librelingo import (
    CourseFormatError,
    CourseSpec,
    demo_course_path,
    read_course,
    write_course,
)
from tests.factories import (
    COURSE_NAMES,
    COURSE_YAML,
    TEST_SECRET,
    all_ids,
    copy_course,
    raw_counts,
    row_counts,
    shared_course,
    shared_spec,
)

MODULE_YAML = """\
Module:
  Name: Basics
Skills:
  - animals.yaml
  - food.yaml
"""

ANIMALS_YAML = """\
Skill:
  Name: Animals
  Id: animals-1
New words:
  - Word: perro
    Translation: dog
  - Word: gato
    Translation: cat
  - Word: oso
    Translation: bear
Phrases:
  - Phrase: Es un perro grande
    Translation: It is a big dog
"""

FOOD_YAML = """\
Skill:
  Name: Food
  Id: food-1
New words:
  - Word: pan
    Translation: bread
  - Word: agua
    Translation: water
  - Word: leche
    Translation: milk
"""

BASE_FILES = {
    "course.yaml": COURSE_YAML,
    "basics/module.yaml": MODULE_YAML,
    "basics/skills/animals.yaml": ANIMALS_YAML,
    "basics/skills/food.yaml": FOOD_YAML,
}

MakeCourse = Callable[..., Path]


@pytest.fixture
def make_course(tmp_path: Path) -> MakeCourse:
    """Write the small base course, with some files replaced (or removed with None)."""

    def make(files: dict[str, str | None] | None = None, *, name: str = "mini-course") -> Path:
        root = tmp_path / name
        if root.exists():
            shutil.rmtree(root)
        for relative, content in {**BASE_FILES, **(files or {})}.items():
            if content is None:
                continue
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(content), encoding="utf-8")
        return root

    return make


def import_spec(db: Database, spec: CourseSpec, *, slug: str) -> ImportOutcome:
    return db.run_write(
        lambda session: content_import.import_course(session, spec=spec, slug=slug, actor=None)
    )


def change_counts(outcome: ImportOutcome) -> dict[str, dict[str, int]]:
    return outcome.counts.model_dump()


def nothing_changed(outcome: ImportOutcome) -> bool:
    return not outcome.changed


# -- the expected diff, computed from the two specs alone ---------------------------------


def _exercise_state(spec: CourseSpec) -> dict[str, tuple[Any, ...]]:
    return {
        exercise.key: (lesson.key, position, exercise.type, exercise.payload, exercise.item_keys)
        for lesson in spec.lessons()
        for position, exercise in enumerate(lesson.exercises)
    }


def _item_state(spec: CourseSpec) -> dict[str, tuple[Any, ...]]:
    return {
        item.key: (lesson.key, position, item)
        for lesson in spec.lessons()
        for position, item in enumerate(lesson.items)
    }


def expected_diff(
    before: dict[str, tuple[Any, ...]], after: dict[str, tuple[Any, ...]]
) -> dict[str, set[str]]:
    return {
        "created": after.keys() - before.keys(),
        "deleted": before.keys() - after.keys(),
        "updated": {key for key in before.keys() & after.keys() if before[key] != after[key]},
        "unchanged": {key for key in before.keys() & after.keys() if before[key] == after[key]},
    }


def sizes(diff: dict[str, set[str]]) -> dict[str, int]:
    return {name: len(keys) for name, keys in diff.items()}


# -- shared courses -----------------------------------------------------------------------


@pytest.mark.parametrize("name", COURSE_NAMES)
class TestImportSharedCourses:
    def test_counts_match_the_yaml_and_a_reimport_changes_nothing(
        self, db: Database, name: str
    ) -> None:
        spec = shared_spec(name)
        raw = raw_counts(shared_course(name))
        generated = sum(1 for _ in spec.exercises())

        first = import_spec(db, spec, slug=name)

        counts = first.counts
        assert counts.course.created == 1
        assert counts.units.created == raw["units"]
        assert counts.lessons.created == raw["lessons"]
        assert counts.items.created == raw["items"]
        assert counts.exercises.created == generated
        rows = row_counts(db)
        assert (rows["unit"], rows["lesson"], rows["item"], rows["exercise"]) == (
            raw["units"],
            raw["lessons"],
            raw["items"],
            generated,
        )
        links = sum(len(exercise.item_keys) for exercise in spec.exercises())
        assert rows["exercise_item"] == links
        before = all_ids(db)

        second = import_spec(db, spec, slug=name)

        assert nothing_changed(second), change_counts(second)
        assert second.counts.exercises.unchanged == generated
        assert all_ids(db) == before  # same ids, same updated_at, for every row
        assert row_counts(db) == rows

    def test_an_export_equals_the_course_as_read_and_reimports_without_changes(
        self, db: Database, name: str, tmp_path: Path
    ) -> None:
        outcome = import_spec(db, shared_spec(name), slug=name)

        with db.session() as session:
            exported = content_export.course_spec(session, course_id=outcome.course.id)
        assert exported == shared_spec(name)

        write_course(exported, tmp_path / name)
        again = content_import.import_folder(db, tmp_path / name)
        assert again.course.id == outcome.course.id
        assert nothing_changed(again), change_counts(again)


# -- re-import with changes ---------------------------------------------------------------


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


class TestChangedReimport:
    def test_edits_update_insert_and_delete_exactly_the_changed_rows(
        self, db: Database, tmp_path: Path
    ) -> None:
        root = copy_course("spanish-from-english", tmp_path)
        before_spec = read_course(root)
        first = content_import.import_folder(db, root)
        ids_before = all_ids(db)
        # A translation edited, a word added, a skill removed.
        _edit(root / "basics/skills/animals.yaml", "Translation: cat", "Translation: kitty")
        _edit(
            root / "basics/skills/food.yaml",
            "New words:\n",
            "New words:\n  - Word: sandía\n    Translation: watermelon\n",
        )
        _edit(root / "basics/module.yaml", "  - clothes.yaml\n", "")
        after_spec = read_course(root)
        items = expected_diff(_item_state(before_spec), _item_state(after_spec))
        exercises = expected_diff(_exercise_state(before_spec), _exercise_state(after_spec))

        second = content_import.import_folder(db, root)

        assert second.course.id == first.course.id
        assert second.counts.items.model_dump() == sizes(items)
        assert second.counts.exercises.model_dump() == sizes(exercises)
        assert second.counts.lessons.deleted == 1
        assert second.counts.units.model_dump() == {
            "created": 0,
            "updated": 0,
            "deleted": 0,
            "unchanged": 3,
        }
        ids_after = all_ids(db)
        for key in exercises["unchanged"]:
            assert ids_after["exercise"][key] == ids_before["exercise"][key]  # id and updated_at
        for key in exercises["updated"]:
            assert ids_after["exercise"][key][0] == ids_before["exercise"][key][0]
            assert ids_after["exercise"][key][1] != ids_before["exercise"][key][1]
        for key in exercises["deleted"]:
            assert key not in ids_after["exercise"]
        old_ids = {row_id for row_id, _ in ids_before["exercise"].values()}
        for key in exercises["created"]:
            assert ids_after["exercise"][key][0] not in old_ids
        assert exercises["created"]
        assert exercises["deleted"]
        assert exercises["updated"]
        assert set(ids_after["exercise"]) == set(_exercise_state(after_spec))

        with db.session() as session:
            cat = session.scalars(select(Item).where(Item.text == "gato")).one()
            assert cat.translation == "kitty"
            assert cat.id == ids_before["item"][cat.key][0]
            titles = set(session.scalars(select(Lesson.title)))
        assert "Clothes" not in titles

        with db.session() as session:
            exported = content_export.course_spec(session, course_id=first.course.id)
        assert exported == after_spec

    def test_a_skill_moved_to_another_module_keeps_its_lesson_and_exercises(
        self, db: Database, make_course: MakeCourse
    ) -> None:
        two_modules = COURSE_YAML + "  - extra/\n"
        root = make_course({"course.yaml": two_modules, "extra/module.yaml": _module("Extra", [])})
        content_import.import_folder(db, root, slug="mini")
        ids_before = all_ids(db)

        moved = make_course(
            {
                "course.yaml": two_modules,
                "basics/module.yaml": _module("Basics", ["animals.yaml"]),
                "basics/skills/food.yaml": None,
                "extra/module.yaml": _module("Extra", ["food.yaml"]),
                "extra/skills/food.yaml": FOOD_YAML,
            }
        )
        outcome = content_import.import_folder(db, moved, slug="mini")

        assert outcome.counts.lessons.model_dump() == {
            "created": 0,
            "updated": 1,
            "deleted": 0,
            "unchanged": 1,
        }
        assert outcome.counts.exercises.updated == outcome.counts.exercises.created == 0
        ids_after = all_ids(db)
        assert ids_after["lesson"]["food-1"][0] == ids_before["lesson"]["food-1"][0]
        assert ids_after["exercise"] == ids_before["exercise"]
        with db.session() as session:
            food = session.scalars(select(Lesson).where(Lesson.key == "food-1")).one()
            assert food.unit_id == ids_after["unit"]["extra"][0]

    def test_renamed_and_swapped_skill_files_do_not_collide(
        self, db: Database, make_course: MakeCourse
    ) -> None:
        root = make_course()
        content_import.import_folder(db, root, slug="mini")
        # The two skill files swap names; their Ids (the lesson keys) stay.
        swapped = make_course(
            {
                "basics/module.yaml": _module("Basics", ["food.yaml", "animals.yaml"]),
                "basics/skills/animals.yaml": FOOD_YAML,
                "basics/skills/food.yaml": ANIMALS_YAML,
            }
        )
        outcome = content_import.import_folder(db, swapped, slug="mini")

        assert outcome.counts.lessons.updated == 2
        with db.session() as session:
            slugs = dict(session.execute(select(Lesson.key, Lesson.slug)).all())
        assert slugs == {"animals-1": "food", "food-1": "animals"}

    def test_a_new_course_is_a_draft_and_reimport_keeps_its_published_state(
        self, db: Database, make_course: MakeCourse
    ) -> None:
        root = make_course()
        first = content_import.import_folder(db, root, slug="mini")
        assert first.course.published is False
        content_import.import_folder(db, root, slug="mini", published=True)
        third = content_import.import_folder(db, root, slug="mini")
        assert third.course.published is True
        assert nothing_changed(third)


def _module(name: str, skills: list[str]) -> str:
    if not skills:
        return f"Module:\n  Name: {name}\nSkills: []\n"
    listed = "".join(f"  - {skill}\n" for skill in skills)
    return f"Module:\n  Name: {name}\nSkills:\n{listed}"


# -- broken courses -----------------------------------------------------------------------

BROKEN = {
    "yaml syntax error": (
        {
            "basics/skills/animals.yaml": ANIMALS_YAML.replace(
                "Translation: cat", "Translation: cat: x"
            )
        },
        "basics/skills/animals.yaml",
        8,
        "",
    ),
    "missing key": (
        {"basics/skills/food.yaml": FOOD_YAML.replace("    Translation: water\n", "")},
        "basics/skills/food.yaml",
        7,
        "'Translation' is missing",
    ),
    "missing file": (
        {"basics/skills/food.yaml": None},
        "basics/module.yaml",
        5,
        "missing",
    ),
    "duplicate skill id": (
        {"basics/skills/food.yaml": FOOD_YAML.replace("Id: food-1", "Id: animals-1")},
        "basics/skills/food.yaml",
        3,
        "duplicate skill id",
    ),
    "unbalanced bracket": (
        {
            "basics/skills/animals.yaml": ANIMALS_YAML.replace(
                "Translation: bear", "Translation: the [big/large bear"
            )
        },
        "basics/skills/animals.yaml",
        10,
        "unbalanced",
    ),
    "empty choice in the grammar": (
        {
            "basics/skills/animals.yaml": ANIMALS_YAML.replace(
                "Translation: bear", "Translation: a [/] bear"
            )
        },
        "basics/skills/animals.yaml",
        10,
        "at position 2",
    ),
}


class TestBrokenCourses:
    @pytest.mark.parametrize("case", list(BROKEN))
    def test_a_broken_course_is_rejected_whole_with_file_and_line(
        self, db: Database, make_course: MakeCourse, case: str
    ) -> None:
        content_import.import_folder(db, make_course(), slug="mini")  # a good version first
        rows_before, ids_before = row_counts(db), all_ids(db)
        files, file, line, message = BROKEN[case]

        with pytest.raises(CourseFormatError) as caught:
            content_import.import_folder(db, make_course(files), slug="mini")

        assert caught.value.file == file
        assert caught.value.line == line
        assert message in caught.value.message
        assert str(caught.value).startswith(f"{file}:{line}: ")
        assert row_counts(db) == rows_before
        assert all_ids(db) == ids_before

    def test_a_course_owned_by_nobody_is_imported_by_the_cli_user(
        self, db: Database, make_course: MakeCourse
    ) -> None:
        outcome = content_import.import_folder(db, make_course(), slug="mini")
        assert outcome.course.owner_id is None


# -- slugs ------------------------------------------------------------------------------------


class TestCourseSlug:
    def test_the_folder_name_becomes_the_slug(self) -> None:
        spec = shared_spec("bangla-from-english")
        assert content_import.course_slug(folder="Bangla From English", spec=spec) == (
            "bangla-from-english"
        )

    def test_without_a_folder_the_languages_name_the_course(self) -> None:
        spec = shared_spec("bangla-from-english")
        assert content_import.course_slug(folder=None, spec=spec) == "bangla-from-english"


# -- the demo course --------------------------------------------------------------------------


class TestDemoCourse:
    def test_the_demo_course_is_loaded_once_published_with_its_licence(self, db: Database) -> None:
        first = content_import.ensure_demo_course(db)
        second = content_import.ensure_demo_course(db)

        assert first is not None
        assert second is None
        course = first.course
        assert course.slug == demo_course_path().name
        assert course.published is True
        assert course.license_short_name == "CC BY-SA 4.0"
        assert course.attribution is not None
        assert "CC BY-SA" in course.attribution
        assert row_counts(db)["course"] == 1


# -- the command line -----------------------------------------------------------------------


@pytest.fixture
def cli_env(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("GRADER_DATABASE_URL", database_url)
    monkeypatch.setenv("GRADER_ENVIRONMENT", "test")
    monkeypatch.setenv("GRADER_SECRET_KEY", TEST_SECRET)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


class TestCommandLine:
    def test_import_course_prints_counts_and_export_course_writes_the_folder(
        self,
        db: Database,
        cli_env: None,
        tmp_path: Path,
        capsys: pytest.CaptureFixture[str],
    ) -> None:
        path = shared_course("bangla-from-english")
        assert cli_main(["import-course", str(path), "--publish"]) == 0
        printed = capsys.readouterr().out
        assert "Course 'bangla-from-english'" in printed
        assert "112 created" in printed

        assert cli_main(["import-course", str(path)]) == 0
        assert "112 unchanged" in capsys.readouterr().out

        assert cli_main(["export-course", "bangla-from-english", str(tmp_path / "out")]) == 0
        assert read_course(tmp_path / "out") == shared_spec("bangla-from-english")
        with db.session() as session:
            assert session.scalars(select(Course.published)).one() is True

    def test_a_broken_course_exits_with_file_and_line(
        self, db: Database, cli_env: None, make_course: MakeCourse
    ) -> None:
        files, file, line, _ = BROKEN["missing key"]
        with pytest.raises(SystemExit) as caught:
            cli_main(["import-course", str(make_course(files))])
        assert f"{file}:{line}:" in str(caught.value)
        assert row_counts(db)["course"] == 0

    @pytest.mark.parametrize("load", [True, False])
    def test_serve_loads_the_demo_course_first_when_the_setting_is_on(
        self, db: Database, cli_env: None, monkeypatch: pytest.MonkeyPatch, load: bool
    ) -> None:
        monkeypatch.setenv("GRADER_LOAD_DEMO_COURSE", str(load).lower())
        served: list[dict[str, Any]] = []
        monkeypatch.setattr("app.cli.serve", lambda **options: served.append(options) or 0)

        assert cli_main(["serve", "--no-migrate"]) == 0

        assert len(served) == 1
        with db.session() as session:
            slugs = list(session.scalars(select(Course.slug)))
        assert slugs == (["spanish-from-english"] if load else [])

    def test_export_of_an_unknown_course_exits_with_a_message(
        self, db: Database, cli_env: None, tmp_path: Path
    ) -> None:
        with pytest.raises(SystemExit) as caught:
            cli_main(["export-course", "nope", str(tmp_path)])
        assert "nope" in str(caught.value)


def test_exercise_rows_hold_the_generated_payloads(db: Database) -> None:
    spec = shared_spec("bangla-from-english")
    import_spec(db, spec, slug="bn")
    with db.session() as session:
        stored = dict(session.execute(select(Exercise.key, Exercise.payload)).all())
    assert stored == {exercise.key: exercise.payload for exercise in spec.exercises()}
