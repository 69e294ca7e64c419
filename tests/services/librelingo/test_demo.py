from __future__ import annotations

from app.services.librelingo import demo_course_path, read_course

from .conftest import read_shared


class TestDemoCourse:
    def test_the_demo_course_ships_inside_the_app_with_its_attribution(self) -> None:
        path = demo_course_path()
        assert path.parts[-3:] == ("data", "courses", "spanish-from-english")
        assert (path / "course.yaml").is_file()
        assert "CC BY-SA" in (path / "ATTRIBUTION.md").read_text(encoding="utf-8")

    def test_the_demo_course_is_the_shared_spanish_course(self) -> None:
        assert read_course(demo_course_path()) == read_shared("spanish-from-english")
