from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

import pytest
import yaml

from app.services.librelingo import (
    CourseFormatError,
    CourseSpec,
    LessonSpec,
    item_key,
    read_course,
)

from .conftest import COURSE_NAMES, COURSE_YAML, MakeCourse, read_shared, shared_course

TWO_SKILLS_MODULE = "Module:\n  Name: Basics\nSkills:\n  - animals.yaml\n  - food.yaml\n"

MODULE_WITHOUT_SKILLS = "Module:\n  Name: Extra\nSkills: []\n"

COURSE_YAML_WITH_TITLE = """\
Course:
  Title: Spanish for travellers
  Language:
    Name: Spanish
    IETF BCP 47: es
  For speakers of:
    Name: English
    IETF BCP 47: en
Modules:
  - basics/
"""

COURSE_WITH_DICTIONARY = """\
Course:
  Language:
    Name: Spanish
    IETF BCP 47: es
  For speakers of:
    Name: English
    IETF BCP 47: en
Modules:
  - basics/
Mini-dictionary:
  Spanish:
    - un:
        - a
        - an
    - no:
        - no
        - not
  English:
    - yes: sí
"""


def _load(text: str) -> Any:
    # Plain safe loading (the C parser when present, only for speed).
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506


def _raw_counts(root: Path) -> dict[str, int]:
    """Counts straight from the YAML, without the reader under test."""
    course = _load((root / "course.yaml").read_text(encoding="utf-8"))
    counts = {"modules": 0, "skills": 0, "words": 0, "phrases": 0, "missing": 0}
    for module in course["Modules"]:
        counts["modules"] += 1
        module_dir = root / module.strip("/")
        module_doc = _load((module_dir / "module.yaml").read_text(encoding="utf-8"))
        for skill in module_doc["Skills"]:
            path = module_dir / "skills" / skill
            if not path.is_file():
                counts["missing"] += 1
                continue
            counts["skills"] += 1
            doc = _load(path.read_text(encoding="utf-8"))
            counts["words"] += len(doc.get("New words") or [])
            counts["phrases"] += len(doc.get("Phrases") or [])
    return counts


def _lesson(spec: CourseSpec, slug: str) -> LessonSpec:
    return next(lesson for lesson in spec.lessons() if lesson.slug == slug)


class TestReadSharedCourses:
    @pytest.mark.parametrize("name", COURSE_NAMES)
    def test_every_module_skill_word_and_phrase_is_read(self, name: str) -> None:
        root = shared_course(name)
        expected = _raw_counts(root)
        spec = read_shared(name)

        assert expected["missing"] == 0
        assert len(spec.units) == expected["modules"]
        assert sum(1 for _ in spec.lessons()) == expected["skills"]
        assert sum(len(lesson.words) for lesson in spec.lessons()) == expected["words"]
        assert sum(len(lesson.phrases) for lesson in spec.lessons()) == expected["phrases"]

    @pytest.mark.parametrize("name", COURSE_NAMES)
    def test_every_referenced_skill_is_present_in_module_order(self, name: str) -> None:
        root = shared_course(name)
        spec = read_shared(name)
        for unit in spec.units:
            raw = _load((root / unit.key / "module.yaml").read_text(encoding="utf-8"))
            assert [f"{lesson.slug}.yaml" for lesson in unit.lessons] == raw["Skills"]
            assert unit.title == raw["Module"]["Name"]

    @pytest.mark.parametrize("name", COURSE_NAMES)
    def test_lesson_and_item_keys_are_unique(self, name: str) -> None:
        spec = read_shared(name)
        lesson_keys = [lesson.key for lesson in spec.lessons()]
        item_keys = [item.key for item in spec.items()]
        assert len(lesson_keys) == len(set(lesson_keys))
        assert len(item_keys) == len(set(item_keys))

    def test_course_metadata_is_read(self) -> None:
        spec = read_shared("spanish-from-english")
        assert spec.title == "Spanish from English"
        assert (spec.target_language.code, spec.target_language.name) == ("es", "Spanish")
        assert (spec.source_language.code, spec.source_language.name) == ("en", "English")
        assert "ñ" in spec.special_characters
        assert spec.license is not None
        assert spec.license.short_name == "CC BY-SA 4.0"
        assert spec.repository is not None
        assert spec.repository.endswith("spanish-from-english")
        assert spec.attribution is not None
        assert "CC BY-SA" in spec.attribution

    def test_words_keep_synonyms_also_accepted_and_images(self) -> None:
        animals = _lesson(read_shared("spanish-from-english"), "animals")
        perro = next(item for item in animals.items if item.text == "perro")
        assert animals.key == "2"
        assert animals.title == "Animals"
        assert animals.thumbnails == ("dog1", "lion3", "cat3")
        assert perro.kind == "word"
        assert perro.translation == "dog"
        assert perro.text_alternatives == ("can",)
        assert perro.translation_alternatives == ("hound",)
        assert perro.images == ("dog1", "dog2", "dog3")
        assert perro.key == item_key(lesson_key="2", kind="word", text="perro")

    def test_tips_come_from_the_markdown_file_of_the_same_name(self) -> None:
        spec = read_shared("spanish-from-english")
        assert _lesson(spec, "animals").tips_markdown == (
            shared_course("spanish-from-english") / "basics" / "skills" / "animals.md"
        ).read_bytes().decode("utf-8")
        assert _lesson(spec, "food").tips_markdown is None

    def test_phrases_merge_alternative_translations_into_accepted_translations(self) -> None:
        spec = read_shared("spanish-from-english")
        phrase = next(
            item for item in spec.items() if item.text == "Yo estoy haciendo este ejercicio"
        )
        assert phrase.translation_alternatives == ("I'm doing this exercise",)


class TestReadQuirks:
    def test_yaml_11_booleans_and_numbers_stay_text_as_written(
        self, make_course: MakeCourse
    ) -> None:
        root = make_course(
            {
                "basics/skills/animals.yaml": """\
                Skill:
                  Name: 2020
                  Id: 007
                New words:
                  - Word: "yes"
                    Translation: no
                  - Word: on
                    Translation: off
                  - Word: 1.50
                    Translation: 0x10
                  - Word: null
                    Translation: ~
                Phrases: []
                """
            }
        )
        lesson = next(read_course(root).lessons())
        assert (lesson.key, lesson.title) == ("007", "2020")
        assert [(item.text, item.translation) for item in lesson.items] == [
            ("yes", "no"),
            ("on", "off"),
            ("1.50", "0x10"),
            ("null", "~"),
        ]

    def test_basque_yes_and_on_are_words_not_booleans(self) -> None:
        spec = read_shared("basque-from-english")
        pairs = {(item.text, item.translation) for item in spec.items()}
        assert ("bai", "yes") in pairs
        assert ("on", "good") in pairs
        assert any(item.translation == "on" for item in spec.items())

    def test_a_single_text_where_a_list_is_expected_is_a_one_item_list(
        self, make_course: MakeCourse
    ) -> None:
        root = make_course(
            {
                "basics/skills/animals.yaml": """\
                Skill:
                  Name: Animals
                  Thumbnails: dog1
                New words:
                  - Word: perro
                    Synonyms: can
                    Translation: dog
                    Also accepted: hound
                    Images: dog1
                Phrases:
                  - Phrase: Es un perro
                    Alternative versions: Es un can
                    Translation: It is a dog
                    Alternative translations: It's a dog
                """
            }
        )
        lesson = next(read_course(root).lessons())
        perro, phrase = lesson.items
        assert lesson.thumbnails == ("dog1",)
        assert (perro.text_alternatives, perro.translation_alternatives) == (("can",), ("hound",))
        assert perro.images == ("dog1",)
        assert phrase.text_alternatives == ("Es un can",)
        assert phrase.translation_alternatives == ("It's a dog",)

    def test_a_real_single_text_also_accepted_is_kept(self) -> None:
        spec = read_shared("basque-from-english")
        hauek = next(item for item in spec.items() if item.text == "hauek")
        assert hauek.translation_alternatives == ("these, plural of hau -",)

    def test_singular_alternative_version_is_read_as_an_alternative(self) -> None:
        spec = read_shared("basque-from-english")
        phrase = next(
            item for item in spec.items() if item.text == "Nire senarra garaiz joango da bihar."
        )
        assert phrase.text_alternatives == ("Nire senarra bihar garaiz joango da.",)
        assert any(
            "'Alternative version'" in warning.message
            and warning.file == "14-Verbs2/skills/14-Verbs2-3.yaml"
            and warning.line == 59
            for warning in spec.warnings
        )

    def test_combining_marks_are_kept_exactly(self) -> None:
        spec = read_shared("spanish-from-english")
        raw = "\u0309\u030c\u0309\u0309¿Están escribiendo una carta?"
        assert any(item.text == raw for item in spec.items())

    def test_decomposed_and_composed_spellings_share_an_item_key(
        self, make_course: MakeCourse
    ) -> None:
        decomposed = unicodedata.normalize("NFD", "león")
        root = make_course(
            {
                "basics/skills/animals.yaml": f"""\
                Skill:
                  Name: Animals
                New words:
                  - Word: {decomposed}
                    Translation: lion
                """
            }
        )
        item = next(read_course(root).items())
        assert item.text == decomposed  # the text itself is untouched
        assert item.key == item_key(lesson_key="animals", kind="word", text="león")

    def test_empty_image_lists_are_empty(self, make_course: MakeCourse) -> None:
        root = make_course(
            {
                "basics/skills/animals.yaml": """\
                Skill:
                  Name: Animals
                  Thumbnails:
                New words:
                  - Word: perro
                    Translation: dog
                    Images:
                  - Word: gato
                    Translation: cat
                    Images: []
                """
            }
        )
        lesson = next(read_course(root).lessons())
        assert lesson.thumbnails == ()
        assert [item.images for item in lesson.items] == [(), ()]

    def test_a_skill_without_id_is_keyed_by_its_file_name(self, make_course: MakeCourse) -> None:
        root = make_course(
            {"basics/skills/animals.yaml": "Skill:\n  Name: Animals\nNew words: []\n"}
        )
        assert next(read_course(root).lessons()).key == "animals"

    def test_unreferenced_skill_files_are_ignored_with_a_warning(self) -> None:
        spec = read_shared("basque-from-english")
        assert all("Postpostions" not in lesson.slug for lesson in spec.lessons())
        orphans = {warning.file for warning in spec.warnings if "not listed" in warning.message}
        assert orphans == {
            f"17-Postpositions/skills/17-Postpostions-{number}.yaml" for number in (1, 2, 3)
        }

    def test_markdown_without_yaml_is_reported_and_yaml_without_markdown_has_no_tips(
        self, make_course: MakeCourse
    ) -> None:
        root = make_course({"basics/skills/lonely.md": "# Tips without a skill\n"})
        spec = read_course(root)
        assert next(spec.lessons()).tips_markdown is None
        assert [(warning.file, warning.line) for warning in spec.warnings] == [
            ("basics/skills/lonely.md", None)
        ]

    def test_an_unlisted_module_folder_is_reported(self, make_course: MakeCourse) -> None:
        root = make_course({"extra/module.yaml": MODULE_WITHOUT_SKILLS})
        warnings = read_course(root).warnings
        assert [warning.file for warning in warnings] == ["extra/module.yaml"]

    def test_mini_dictionaries_are_kept(self, make_course: MakeCourse) -> None:
        root = make_course(
            {
                "course.yaml": COURSE_WITH_DICTIONARY,
            }
        )
        spec = read_course(root)
        assert [
            (entry.language, entry.word, entry.definitions) for entry in spec.mini_dictionary
        ] == [
            ("Spanish", "un", ("a", "an")),
            ("Spanish", "no", ("no", "not")),
            ("English", "yes", ("sí",)),
        ]
        animals = _lesson(read_shared("spanish-from-english"), "animals")
        entries = {
            (entry.language, entry.word): entry.definitions for entry in animals.mini_dictionary
        }
        assert entries[("Spanish", "un")] == ("a/an (masc.)",)
        assert entries[("English", "the")] == ("la", "el")

    def test_a_repeated_key_keeps_the_last_value_like_yaml_loaders_and_warns(self) -> None:
        spec = read_shared("basque-from-english")
        nongoa = next(item for item in spec.items() if item.text == "nongoa")
        assert nongoa.translation == "chef"  # what yaml.safe_load (and LibreLingo) read
        assert any(
            warning.file == "19-Nongo/skills/19-Nongo-1.yaml"
            and warning.line == 58
            and "duplicate key 'Translation'" in warning.message
            for warning in spec.warnings
        )

    def test_a_word_listed_twice_in_a_skill_gets_a_second_key(self) -> None:
        spec = read_shared("basque-from-english")
        twins = [item for item in spec.items() if item.text == "gutxitan"]
        assert [item.translation for item in twins] == ["seldom", "rarely"]
        assert twins[1].key == twins[0].key + "~2"

    def test_settings_are_read_when_well_formed_and_ignored_with_a_warning_otherwise(self) -> None:
        assert read_shared("bangla-from-english").audio_enabled is False
        basque = read_shared("basque-from-english")
        assert basque.audio_enabled is None
        assert any(
            warning.file == "course.yaml" and "'Settings' ignored" in warning.message
            for warning in basque.warnings
        )

    def test_a_given_title_replaces_the_built_one(self, make_course: MakeCourse) -> None:
        root = make_course(
            {"course.yaml": COURSE_YAML_WITH_TITLE},
        )
        assert read_course(root).title == "Spanish for travellers"


class TestRejectBrokenCourses:
    def _error(self, root: Path) -> CourseFormatError:
        with pytest.raises(CourseFormatError) as caught:
            read_course(root)
        return caught.value

    def test_a_yaml_syntax_error_names_file_and_line(self, make_course: MakeCourse) -> None:
        root = make_course(
            {
                "basics/skills/animals.yaml": """\
                Skill:
                  Name: Animals
                New words:
                  - Word: perro
                    Translation: "dog
                """
            }
        )
        error = self._error(root)
        assert (error.file, error.line) == ("basics/skills/animals.yaml", 6)
        assert "YAML syntax error" in error.message
        assert str(error).startswith("basics/skills/animals.yaml:6: YAML syntax error")

    def test_a_missing_translation_names_the_word(self, make_course: MakeCourse) -> None:
        root = make_course(
            {
                "basics/skills/animals.yaml": """\
                Skill:
                  Name: Animals
                New words:
                  - Word: gato
                    Translation: cat
                  - Word: perro
                    Images:
                      - dog1
                """
            }
        )
        error = self._error(root)
        assert str(error) == (
            "basics/skills/animals.yaml:6: 'Translation' is missing for word 'perro'"
        )

    def test_a_missing_module_folder_points_at_course_yaml(self, make_course: MakeCourse) -> None:
        root = make_course(
            {"course.yaml": COURSE_YAML.replace("  - basics/\n", "  - basics/\n  - travel/\n")}
        )
        error = self._error(root)
        assert (error.file, error.line) == ("course.yaml", 10)
        assert error.message == "module folder 'travel/' is missing"

    def test_a_missing_skill_file_points_at_module_yaml(self, make_course: MakeCourse) -> None:
        root = make_course({"basics/module.yaml": TWO_SKILLS_MODULE})
        error = self._error(root)
        assert (error.file, error.line) == ("basics/module.yaml", 5)
        assert error.message == "skill file 'food.yaml' is missing (basics/skills/food.yaml)"

    def test_a_duplicate_skill_id_names_both_files(self, make_course: MakeCourse) -> None:
        root = make_course(
            {
                "basics/module.yaml": TWO_SKILLS_MODULE,
                "basics/skills/food.yaml": "Skill:\n  Name: Food\n  Id: animals-1\nNew words: []\n",
            }
        )
        error = self._error(root)
        assert (error.file, error.line) == ("basics/skills/food.yaml", 3)
        assert error.message == (
            "duplicate skill id 'animals-1' (also used by basics/skills/animals.yaml)"
        )

    def test_an_unbalanced_bracket_in_an_answer_names_the_key(
        self, make_course: MakeCourse
    ) -> None:
        root = make_course(
            {
                "basics/skills/animals.yaml": """\
                Skill:
                  Name: Animals
                Phrases:
                  - Phrase: Soy un niño
                    Translation: I [am/'m a boy
                """
            }
        )
        error = self._error(root)
        assert (error.file, error.line) == ("basics/skills/animals.yaml", 5)
        assert error.message == (
            "unbalanced '[' in 'Translation' for phrase 'Soy un niño': 'I [am/'m a boy'"
        )

    def test_a_stray_closing_bracket_in_an_alternative_is_rejected(
        self, make_course: MakeCourse
    ) -> None:
        root = make_course(
            {
                "basics/skills/animals.yaml": """\
                Skill:
                  Name: Animals
                New words:
                  - Word: perro
                    Translation: dog
                    Also accepted:
                      - hound
                      - pup]
                """
            }
        )
        error = self._error(root)
        assert (error.file, error.line) == ("basics/skills/animals.yaml", 8)
        assert "unbalanced ']' in 'Also accepted'" in error.message

    @pytest.mark.parametrize(
        ("files", "file", "line", "message"),
        [
            (
                {
                    "course.yaml": (
                        "Course:\n  Language:\n    Name: Spanish\n"
                        "    IETF BCP 47: es\nModules: []\n"
                    )
                },
                "course.yaml",
                2,
                "'For speakers of' is missing in 'Course'",
            ),
            (
                {"basics/module.yaml": "Skills: [animals.yaml]\n"},
                "basics/module.yaml",
                1,
                "'Module' is missing",
            ),
            (
                {"basics/module.yaml": "Module:\n  Title: Basics\nSkills: [animals.yaml]\n"},
                "basics/module.yaml",
                2,
                "'Name' is missing in 'Module'",
            ),
            (
                {"basics/skills/animals.yaml": "Skill:\n  Id: 3\nNew words: []\n"},
                "basics/skills/animals.yaml",
                2,
                "'Name' is missing in 'Skill'",
            ),
            (
                {"basics/skills/animals.yaml": "Skill:\n  Name: A\nNew words: perro\n"},
                "basics/skills/animals.yaml",
                3,
                "'New words' must be a list",
            ),
            (
                {
                    "basics/skills/animals.yaml": (
                        "Skill:\n  Name: A\nNew words:\n  - Translation: dog\n"
                    )
                },
                "basics/skills/animals.yaml",
                4,
                "'Word' is missing for a word",
            ),
            (
                {
                    "basics/skills/animals.yaml": (
                        "Skill:\n  Name: A\nNew words:\n  - Word: [a, b]\n    Translation: x\n"
                    )
                },
                "basics/skills/animals.yaml",
                4,
                "'Word' for a word must be text",
            ),
            (
                {"basics/skills/animals.yaml": ""},
                "basics/skills/animals.yaml",
                None,
                "file is empty",
            ),
            (
                {"course.yaml": COURSE_YAML.replace("basics/", "../basics/")},
                "course.yaml",
                9,
                "module '../basics/' is not a folder name",
            ),
            (
                {"basics/module.yaml": None},
                "course.yaml",
                9,
                "module folder 'basics/' has no module.yaml",
            ),
        ],
    )
    def test_other_broken_files_name_file_line_and_problem(
        self,
        make_course: MakeCourse,
        files: dict[str, str | None],
        file: str,
        line: int | None,
        message: str,
    ) -> None:
        root = make_course(files)
        if files.get("basics/module.yaml", "") is None:
            (root / "basics").mkdir(exist_ok=True)
        error = self._error(root)
        assert (error.file, error.line, error.message) == (file, line, message)

    def test_a_folder_without_course_yaml_is_rejected(self, tmp_path: Path) -> None:
        error = self._error(tmp_path)
        assert error.file == "course.yaml"

    def test_the_error_is_a_value_error(self) -> None:
        assert issubclass(CourseFormatError, ValueError)
