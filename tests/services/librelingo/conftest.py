from __future__ import annotations

import functools
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from app.services.librelingo import CourseSpec, read_course
from tests.factories import COURSE_YAML, shared_course

COURSE_NAMES = ["spanish-from-english", "basque-from-english", "bangla-from-english"]

MODULE_YAML = """\
Module:
  Name: Basics
Skills:
  - animals.yaml
"""

ANIMALS_YAML = """\
Skill:
  Name: Animals
  Id: animals-1
New words:
  - Word: perro
    Translation: dog
    Images:
      - dog1
  - Word: gato
    Translation: cat
    Images:
      - cat1
  - Word: oso
    Translation: bear
    Images:
      - bear1
Phrases:
  - Phrase: Es un perro
    Translation: It is a dog
"""

BASE_FILES = {
    "course.yaml": COURSE_YAML,
    "basics/module.yaml": MODULE_YAML,
    "basics/skills/animals.yaml": ANIMALS_YAML,
}

MakeCourse = Callable[..., Path]


@functools.cache
def _read_cached(path: Path) -> CourseSpec:
    return read_course(path)


def read_shared(name: str) -> CourseSpec:
    """A shared course, read once per test run (specs are immutable)."""
    return _read_cached(shared_course(name))


@pytest.fixture
def make_course(tmp_path: Path) -> MakeCourse:
    """Write a small course: the base files, overridden (or removed with None) by `files`."""

    def make(files: dict[str, str | None] | None = None, *, name: str = "course") -> Path:
        root = tmp_path / name
        merged: dict[str, str | None] = {**BASE_FILES, **(files or {})}
        for relative, content in merged.items():
            if content is None:
                continue
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(content), encoding="utf-8")
        return root

    return make
