"""Write a CourseSpec back out as a LibreLingo course folder (or zip).

File names come from the spec: units are saved as `<unit key>/module.yaml`,
lessons as `<unit key>/skills/<lesson slug>.yaml` (+ `.md` tips). Exercises are
not written: readers regenerate them, deterministically.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import yaml

from .errors import CourseFormatError
from .specs import CourseSpec, DictionaryEntry, ItemSpec, LessonSpec, UnitSpec, default_title
from .text import slugify

_ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # fixed, so the same course always zips to the same bytes


class _Dumper(yaml.SafeDumper):
    """Indents list items under their key, as LibreLingo's own files do.

    The safe representer already quotes any text that YAML 1.1 would read as
    something else ("yes", "on", "1", "null"...), so texts come back as written.
    """

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _dump(document: dict[str, Any]) -> bytes:
    text = yaml.dump(
        document,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=1_000_000,  # never fold long sentences
    )
    return text.encode("utf-8")


def render_course(spec: CourseSpec) -> dict[str, bytes]:
    """Every file of the course folder: relative path → content."""
    files: dict[str, bytes] = {"course.yaml": _dump(_course_document(spec))}
    if spec.attribution is not None:
        files["ATTRIBUTION.md"] = spec.attribution.encode("utf-8")
    unit_keys: set[str] = set()
    for unit in spec.units:
        _check_segment(unit.key, what="unit key", file="course.yaml")
        if unit.key in unit_keys:
            raise CourseFormatError(
                file="course.yaml", line=None, message=f"unit key '{unit.key}' is used twice"
            )
        unit_keys.add(unit.key)
        files[f"{unit.key}/module.yaml"] = _dump(_module_document(unit))
        slugs: set[str] = set()
        for lesson in unit.lessons:
            _check_segment(lesson.slug, what="lesson slug", file=f"{unit.key}/module.yaml")
            if lesson.slug in slugs:
                raise CourseFormatError(
                    file=f"{unit.key}/module.yaml",
                    line=None,
                    message=f"lesson slug '{lesson.slug}' is used twice",
                )
            slugs.add(lesson.slug)
            base = f"{unit.key}/skills/{lesson.slug}"
            files[f"{base}.yaml"] = _dump(_skill_document(spec, lesson))
            if lesson.tips_markdown is not None:
                files[f"{base}.md"] = lesson.tips_markdown.encode("utf-8")
    return files


def write_course(spec: CourseSpec, dest: Path) -> None:
    """Write the course folder into `dest` (created if needed; other files are left alone)."""
    files = render_course(spec)
    for relative, content in files.items():
        path = dest / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)


def course_to_zip(spec: CourseSpec, *, folder: str | None = None) -> bytes:
    """A zip holding the course folder (named `folder`, default: a slug of the title)."""
    top = folder or slugify(spec.title)
    _check_segment(top, what="zip folder", file="<zip>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for relative, content in render_course(spec).items():
            info = zipfile.ZipInfo(f"{top}/{relative}", date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, content)
    return buffer.getvalue()


def _check_segment(name: str, *, what: str, file: str) -> None:
    unsafe = not name or name in (".", "..") or name.startswith(".")
    if unsafe or any(char in name for char in "/\\:\x00"):
        raise CourseFormatError(
            file=file, line=None, message=f"{what} '{name}' cannot be used as a file name"
        )


def _course_document(spec: CourseSpec) -> dict[str, Any]:
    course: dict[str, Any] = {
        "Language": {"Name": spec.target_language.name, "IETF BCP 47": spec.target_language.code},
        "For speakers of": {
            "Name": spec.source_language.name,
            "IETF BCP 47": spec.source_language.code,
        },
    }
    if spec.license is not None:
        licence: dict[str, str] = {"Name": spec.license.name}
        if spec.license.short_name is not None:
            licence["Short name"] = spec.license.short_name
        if spec.license.link is not None:
            licence["Link"] = spec.license.link
        course["License"] = licence
    if spec.repository is not None:
        course["Repository"] = spec.repository
    if spec.special_characters:
        course["Special characters"] = list(spec.special_characters)
    if spec.title != default_title(target=spec.target_language, source=spec.source_language):
        course["Title"] = spec.title  # a grader extension; LibreLingo ignores it
    document: dict[str, Any] = {
        "Course": course,
        "Modules": [f"{unit.key}/" for unit in spec.units],
    }
    if spec.audio_enabled is not None:
        document["Settings"] = {"Audio": {"Enabled": spec.audio_enabled}}
    if spec.mini_dictionary:
        document["Mini-dictionary"] = _dictionary_document(spec.mini_dictionary)
    return document


def _module_document(unit: UnitSpec) -> dict[str, Any]:
    return {
        "Module": {"Name": unit.title},
        "Skills": [f"{lesson.slug}.yaml" for lesson in unit.lessons],
    }


def _skill_document(spec: CourseSpec, lesson: LessonSpec) -> dict[str, Any]:
    skill: dict[str, Any] = {"Name": lesson.title, "Id": lesson.key}
    if lesson.thumbnails:
        skill["Thumbnails"] = list(lesson.thumbnails)
    document: dict[str, Any] = {
        "Skill": skill,
        "New words": [_item_document(item) for item in lesson.words],
        "Phrases": [_item_document(item) for item in lesson.phrases],
    }
    if lesson.mini_dictionary:
        document["Mini-dictionary"] = _dictionary_document(lesson.mini_dictionary)
    return document


def _item_document(item: ItemSpec) -> dict[str, Any]:
    # Key names as LibreLingo spells them for each kind.
    word = item.kind == "word"
    document: dict[str, Any] = {"Word" if word else "Phrase": item.text}
    if item.text_alternatives:
        document["Synonyms" if word else "Alternative versions"] = list(item.text_alternatives)
    document["Translation"] = item.translation
    if item.translation_alternatives:
        key = "Also accepted" if word else "Alternative translations"
        document[key] = list(item.translation_alternatives)
    if item.images:
        document["Images"] = list(item.images)
    return document


def _dictionary_document(entries: tuple[DictionaryEntry, ...]) -> dict[str, list[Any]]:
    by_language: dict[str, list[Any]] = {}
    for entry in entries:
        definitions: str | list[str] = (
            entry.definitions[0] if len(entry.definitions) == 1 else list(entry.definitions)
        )
        by_language.setdefault(entry.language, []).append({entry.word: definitions})
    return by_language
