from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from app.services.librelingo import CourseFormatError, read_course, read_course_zip

from .conftest import MakeCourse, read_shared, shared_course


def _zip(root: Path, *, prefix: str = "") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(root.rglob("*")):
            if path.is_file():
                archive.write(path, prefix + path.relative_to(root).as_posix())
    return buffer.getvalue()


def _zip_of(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


class TestReadCourseZip:
    def test_a_zip_with_the_course_folder_on_top_reads_like_the_folder(self) -> None:
        root = shared_course("spanish-from-english")
        assert read_course_zip(_zip(root, prefix="spanish-from-english/")) == read_shared(
            "spanish-from-english"
        )

    def test_a_zip_with_the_files_at_its_root_reads_like_the_folder(self) -> None:
        root = shared_course("basque-from-english")
        spec = read_course_zip(_zip(root))
        assert spec == read_shared("basque-from-english")
        assert [str(w) for w in spec.warnings] == [
            str(w) for w in read_shared("basque-from-english").warnings
        ]

    def test_errors_in_a_zip_name_paths_inside_the_course(self, make_course: MakeCourse) -> None:
        root = make_course({"basics/skills/animals.yaml": "Skill:\n  Name: [unclosed\n"})
        with pytest.raises(CourseFormatError) as caught:
            read_course_zip(_zip(root, prefix="my-course/"))
        assert caught.value.file == "basics/skills/animals.yaml"
        assert caught.value.line == 3

    def test_a_path_escaping_the_folder_rejects_the_zip(self, make_course: MakeCourse) -> None:
        data = _zip_of(
            {
                "course/course.yaml": b"Course: {}\n",
                "course/../../etc/evil.yaml": b"x: 1\n",
            }
        )
        with pytest.raises(CourseFormatError) as caught:
            read_course_zip(data)
        assert caught.value.file == "course/../../etc/evil.yaml"
        assert caught.value.message == "unsafe path in zip"

    @pytest.mark.parametrize("name", ["/etc/passwd", "C:/windows/evil.yaml", "a\\..\\b.yaml"])
    def test_absolute_and_windows_paths_reject_the_zip(self, name: str) -> None:
        with pytest.raises(CourseFormatError, match="unsafe path in zip"):
            read_course_zip(_zip_of({"course.yaml": b"", name: b"x"}))

    def test_a_zip_bomb_is_rejected_before_it_is_read(self) -> None:
        bomb = _zip_of({"course.yaml": b"", "big.md": bytes(51 * 1024 * 1024)})
        assert len(bomb) < 1024 * 1024  # tiny on the wire
        with pytest.raises(CourseFormatError) as caught:
            read_course_zip(bomb)
        assert caught.value.file == "<zip>"
        assert "larger than the limit of 50 MB" in caught.value.message

    def test_the_size_limit_can_be_lowered(self, make_course: MakeCourse) -> None:
        data = _zip(make_course())
        with pytest.raises(CourseFormatError, match="larger than the limit"):
            read_course_zip(data, max_total_size=100)

    def test_too_many_files_reject_the_zip(self, make_course: MakeCourse) -> None:
        with pytest.raises(CourseFormatError, match="more than the limit of 2"):
            read_course_zip(_zip(make_course()), max_files=2)

    def test_bytes_that_are_not_a_zip_are_rejected(self) -> None:
        with pytest.raises(CourseFormatError, match="not a zip file"):
            read_course_zip(b"course.yaml: definitely not a zip")

    def test_a_zip_without_course_yaml_is_rejected(self) -> None:
        with pytest.raises(CourseFormatError, match=r"no course\.yaml in zip"):
            read_course_zip(_zip_of({"readme.md": b"hi"}))

    def test_a_zip_with_two_courses_side_by_side_is_rejected(self, make_course: MakeCourse) -> None:
        one = make_course(name="one")
        data = _zip_of(
            {
                **{
                    f"a/{p.relative_to(one).as_posix()}": p.read_bytes()
                    for p in one.rglob("*")
                    if p.is_file()
                },
                **{
                    f"b/{p.relative_to(one).as_posix()}": p.read_bytes()
                    for p in one.rglob("*")
                    if p.is_file()
                },
            }
        )
        with pytest.raises(CourseFormatError, match="several courses"):
            read_course_zip(data)

    def test_macos_metadata_folders_are_ignored(self, make_course: MakeCourse) -> None:
        root = make_course()
        entries = {
            p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()
        }
        entries["__MACOSX/course.yaml"] = b"\x00\x05junk"
        assert read_course_zip(_zip_of(entries)) == read_course(root)
