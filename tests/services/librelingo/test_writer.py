from __future__ import annotations

import zipfile
from io import BytesIO
from pathlib import Path

import pytest
import yaml

from app.services.librelingo import (
    CourseFormatError,
    CourseSpec,
    DictionaryEntry,
    ItemSpec,
    LanguageSpec,
    LessonSpec,
    LicenseSpec,
    UnitSpec,
    course_to_zip,
    item_key,
    read_course,
    read_course_zip,
    with_exercises,
    write_course,
)

from .conftest import COURSE_NAMES, read_shared

TRICKY_TEXTS = [
    "yes",
    "No",
    "on",
    "OFF",
    "1",
    "1.5",
    "0x1F",
    "null",
    "~",
    "true",
    " orain ",
    "- dash",
    "a: b",
    "#hash",
    "'quoted'",
    '"double"',
    "@at",
    "multi\nline",
]


def _hand_built() -> CourseSpec:
    words = tuple(
        ItemSpec(
            key=item_key(lesson_key="tricky", kind="word", text=text),
            kind="word",
            text=text,
            translation=f"{text} (en)",
            text_alternatives=(text.upper(),),
            translation_alternatives=("yes", "no"),
            images=("img-1", "2"),
        )
        for text in TRICKY_TEXTS
    )
    phrase = ItemSpec(
        key=item_key(lesson_key="tricky", kind="phrase", text="Estoy [aquí/acá]"),
        kind="phrase",
        text="Estoy [aquí/acá]",
        translation="I [am/'m] here",
        text_alternatives=("Aquí estoy",),
        translation_alternatives=("Here I am",),
    )
    lesson = LessonSpec(
        key="tricky",
        slug="tricky-words",
        title="on",
        thumbnails=("yes",),
        tips_markdown="# Tips\r\n\r\nWindows line ends stay as they are.\r\n",
        items=(*words, phrase),
        mini_dictionary=(
            DictionaryEntry(language="Spanish", word="no", definitions=("no", "not")),
            DictionaryEntry(language="Spanish", word="sí", definitions=("yes",)),
            DictionaryEntry(language="English", word="null", definitions=()),
        ),
    )
    return CourseSpec(
        title="Tricky Spanish",
        target_language=LanguageSpec(code="es", name="Spanish"),
        source_language=LanguageSpec(code="en", name="English"),
        special_characters=("ñ", "¿"),
        license=LicenseSpec(name="CC0", short_name=None, link=None),
        repository=None,
        attribution="Written by hand.\n",
        audio_enabled=True,
        mini_dictionary=(DictionaryEntry(language="English", word="on", definitions=("en",)),),
        units=(UnitSpec(key="01-tricky", title="yes", lessons=(lesson,)),),
    )


class TestWriteCourse:
    @pytest.mark.parametrize("name", COURSE_NAMES)
    def test_read_write_read_gives_an_equal_course(self, name: str, tmp_path: Path) -> None:
        spec = read_shared(name)
        write_course(spec, tmp_path)
        assert read_course(tmp_path) == spec

    def test_a_hand_built_course_round_trips_with_exercises_generated(self, tmp_path: Path) -> None:
        spec = _hand_built()
        write_course(spec, tmp_path)
        again = read_course(tmp_path)
        assert again == with_exercises(spec)
        assert again.warnings == ()
        assert any(True for _ in again.exercises())

    def test_texts_that_yaml_11_would_retype_are_quoted(self, tmp_path: Path) -> None:
        write_course(_hand_built(), tmp_path)
        raw = yaml.safe_load((tmp_path / "01-tricky/skills/tricky-words.yaml").read_text("utf-8"))
        assert [word["Word"] for word in raw["New words"]] == TRICKY_TEXTS
        assert raw["Skill"] == {"Name": "on", "Id": "tricky", "Thumbnails": ["yes"]}
        assert raw["New words"][0]["Also accepted"] == ["yes", "no"]
        assert raw["New words"][0]["Images"] == ["img-1", "2"]
        assert raw["Mini-dictionary"] == {
            "Spanish": [{"no": ["no", "not"]}, {"sí": "yes"}],
            "English": [{"null": []}],
        }

    def test_files_use_librelingo_layout_and_key_names(self, tmp_path: Path) -> None:
        write_course(read_shared("spanish-from-english"), tmp_path)
        course = yaml.safe_load((tmp_path / "course.yaml").read_text("utf-8"))
        assert course["Modules"] == ["basics/", "introduction/", "activities/"]
        assert course["Course"]["Language"] == {"Name": "Spanish", "IETF BCP 47": "es"}
        assert "Title" not in course["Course"]  # the built title needs no extension key
        module = yaml.safe_load((tmp_path / "basics/module.yaml").read_text("utf-8"))
        assert module["Module"] == {"Name": "Basics"}
        assert module["Skills"][0] == "animals.yaml"
        skill = yaml.safe_load((tmp_path / "basics/skills/animals.yaml").read_text("utf-8"))
        assert skill["New words"][0] == {
            "Word": "perro",
            "Synonyms": ["can"],
            "Translation": "dog",
            "Also accepted": ["hound"],
            "Images": ["dog1", "dog2", "dog3"],
        }
        assert skill["Phrases"][1] == {
            "Phrase": "Max es un perro",
            "Alternative versions": ["Max es un can"],
            "Translation": "Max is a dog",
        }
        assert (tmp_path / "basics/skills/animals.md").is_file()
        assert (tmp_path / "ATTRIBUTION.md").read_bytes() == (
            read_shared("spanish-from-english").attribution or ""
        ).encode("utf-8")

    def test_tips_and_attribution_are_written_byte_for_byte(self, tmp_path: Path) -> None:
        write_course(_hand_built(), tmp_path)
        assert (tmp_path / "01-tricky/skills/tricky-words.md").read_bytes() == (
            b"# Tips\r\n\r\nWindows line ends stay as they are.\r\n"
        )

    @pytest.mark.parametrize("slug", ["../escape", "a/b", "", ".hidden"])
    def test_an_unsafe_lesson_slug_is_refused(self, slug: str, tmp_path: Path) -> None:
        spec = _hand_built()
        unit = spec.units[0]
        bad = CourseSpec(
            title=spec.title,
            target_language=spec.target_language,
            source_language=spec.source_language,
            units=(
                UnitSpec(
                    key=unit.key,
                    title=unit.title,
                    lessons=(LessonSpec(key="x", slug=slug, title="X"),),
                ),
            ),
        )
        with pytest.raises(CourseFormatError, match="cannot be used as a file name"):
            write_course(bad, tmp_path)
        assert not any(tmp_path.rglob("*.yaml"))


class TestCourseToZip:
    @pytest.mark.parametrize("name", COURSE_NAMES)
    def test_the_zip_reads_back_as_an_equal_course(self, name: str) -> None:
        spec = read_shared(name)
        assert read_course_zip(course_to_zip(spec)) == spec

    def test_zipping_is_deterministic_and_uses_one_top_folder(self) -> None:
        spec = read_shared("bangla-from-english")
        data = course_to_zip(spec)
        assert course_to_zip(spec) == data
        names = zipfile.ZipFile(BytesIO(data)).namelist()
        assert {name.split("/")[0] for name in names} == {"bangla-from-english"}
        assert "bangla-from-english/course.yaml" in names
