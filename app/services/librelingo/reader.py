"""Read a LibreLingo course folder (or zip) into a CourseSpec.

A broken course is rejected whole with the first CourseFormatError found;
oddities that do not stop a learner (unreferenced files, non-standard keys)
become warnings on the spec.
"""

from __future__ import annotations

import posixpath
import unicodedata
from dataclasses import replace
from pathlib import Path

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .errors import CourseFormatError, CourseWarning
from .exercises import with_exercises
from .keys import item_key
from .sources import MAX_ZIP_FILES, MAX_ZIP_TOTAL_SIZE, CourseSource, DirectorySource, ZipSource
from .specs import (
    CourseSpec,
    DictionaryEntry,
    ItemKind,
    ItemSpec,
    LanguageSpec,
    LessonSpec,
    LicenseSpec,
    UnitSpec,
    default_title,
)
from .text import unbalanced_bracket
from .yaml_loader import YamlMap, compose, decode_text, is_empty, line_of

COURSE_FILE = "course.yaml"
MODULE_FILE = "module.yaml"
ATTRIBUTION_FILE = "ATTRIBUTION.md"
SKILL_SUFFIXES = (".yaml", ".yml")

# Per item kind: the main keys, then the alternative keys in the order they are
# merged. The first alternative key of each list is what LibreLingo itself
# reads and what the writer writes.
_MAIN_KEY: dict[ItemKind, str] = {"word": "Word", "phrase": "Phrase"}
_TEXT_ALTERNATIVE_KEYS = ("Synonyms", "Alternative versions", "Alternative version", "Alternative")
_TRANSLATION_ALTERNATIVE_KEYS = ("Also accepted", "Alternative translations")
_STANDARD_TEXT_KEYS: dict[ItemKind, str] = {"word": "Synonyms", "phrase": "Alternative versions"}
_STANDARD_TRANSLATION_KEYS: dict[ItemKind, tuple[str, ...]] = {
    "word": ("Also accepted",),
    # LibreLingo reads "Alternative translations"; older courses use "Also accepted".
    "phrase": ("Alternative translations", "Also accepted"),
}
_ITEM_KEYS = {"Translation", "Images", *_TEXT_ALTERNATIVE_KEYS, *_TRANSLATION_ALTERNATIVE_KEYS}
_TRUE = {"true", "yes", "on", "y"}
_FALSE = {"false", "no", "off", "n"}


def read_course(path: Path) -> CourseSpec:
    """Read a course folder (the one holding course.yaml)."""
    if not (path / COURSE_FILE).is_file():
        raise CourseFormatError(file=COURSE_FILE, line=None, message=f"no {COURSE_FILE} in {path}")
    return _CourseReader(DirectorySource(path)).read()


def read_course_zip(
    data: bytes,
    *,
    max_total_size: int = MAX_ZIP_TOTAL_SIZE,
    max_files: int = MAX_ZIP_FILES,
) -> CourseSpec:
    """Read an uploaded zip of a course folder, entirely in memory.

    course.yaml may sit at the top of the zip or inside one folder.
    """
    source = ZipSource.from_bytes(data, max_total_size=max_total_size, max_files=max_files)
    return _CourseReader(source).read()


def _is_safe_segment(name: str) -> bool:
    return (
        bool(name)
        and name not in (".", "..")
        and not name.startswith(".")
        and not any(char in name for char in "/\\:\x00")
    )


class _CourseReader:
    def __init__(self, source: CourseSource) -> None:
        self._source = source
        self._warnings: list[CourseWarning] = []
        self._lesson_keys: dict[str, str] = {}  # key -> file that claimed it

    def warn(self, warning: CourseWarning) -> None:
        self._warnings.append(warning)

    def _note(self, *, file: str, line: int | None, message: str) -> None:
        self.warn(CourseWarning(file=file, line=line, message=message))

    def _load_map(self, path: str, *, what: str) -> YamlMap:
        data = self._source.read(path)
        if data is None:
            raise CourseFormatError(file=path, line=None, message="file is missing")
        node = compose(data, file=path)
        if node is None:
            raise CourseFormatError(file=path, line=None, message="file is empty")
        return YamlMap(node, file=path, what=what, warn=self.warn)

    # -- course.yaml ---------------------------------------------------------

    def read(self) -> CourseSpec:
        doc = self._load_map(COURSE_FILE, what="course.yaml")
        self._warn_unknown(doc, {"Course", "Modules", "Settings", "Mini-dictionary"}, "course.yaml")
        course = doc.required_mapping("Course", what="'Course'")
        self._warn_unknown(
            course,
            {
                "Language",
                "For speakers of",
                "License",
                "Repository",
                "Special characters",
                "Title",
            },
            "'Course'",
        )
        target = self._language(course, "Language")
        source = self._language(course, "For speakers of")
        if "Modules" not in doc:
            raise doc.error("'Modules' is missing")
        units = []
        seen_units: set[str] = set()
        for name, line in doc.texts("Modules", context=""):
            key = name.strip().rstrip("/")
            if not _is_safe_segment(key):
                raise CourseFormatError(
                    file=COURSE_FILE, line=line, message=f"module '{name}' is not a folder name"
                )
            if key in seen_units:
                raise CourseFormatError(
                    file=COURSE_FILE, line=line, message=f"module '{key}/' is listed twice"
                )
            seen_units.add(key)
            if not self._source.is_dir(key):
                raise CourseFormatError(
                    file=COURSE_FILE, line=line, message=f"module folder '{key}/' is missing"
                )
            if self._source.read(f"{key}/{MODULE_FILE}") is None:
                raise CourseFormatError(
                    file=COURSE_FILE,
                    line=line,
                    message=f"module folder '{key}/' has no {MODULE_FILE}",
                )
            units.append(self._unit(key))
        self._warn_unreferenced_modules(seen_units)
        license_map = course.mapping("License", what="'License'")
        attribution = self._source.read(ATTRIBUTION_FILE)
        spec = CourseSpec(
            title=course.text("Title", context="") or default_title(target=target, source=source),
            target_language=target,
            source_language=source,
            special_characters=tuple(
                text for text, _ in course.texts("Special characters", context="")
            ),
            license=None if license_map is None else self._license(license_map),
            repository=course.text("Repository", context=""),
            attribution=None
            if attribution is None
            else decode_text(attribution, file=ATTRIBUTION_FILE),
            audio_enabled=self._audio_enabled(doc),
            mini_dictionary=self._mini_dictionary(doc),
            units=tuple(units),
        )
        return replace(with_exercises(spec), warnings=tuple(self._warnings))

    def _language(self, course: YamlMap, key: str) -> LanguageSpec:
        language = course.required_mapping(key, what=f"'{key}'", context="in 'Course'")
        return LanguageSpec(
            code=language.required_text("IETF BCP 47", context=f"in '{key}'").strip(),
            name=language.required_text("Name", context=f"in '{key}'").strip(),
        )

    def _license(self, license_map: YamlMap) -> LicenseSpec:
        return LicenseSpec(
            name=license_map.required_text("Name", context="in 'License'"),
            short_name=license_map.text("Short name", context="in 'License'"),
            link=license_map.text("Link", context="in 'License'"),
        )

    def _audio_enabled(self, doc: YamlMap) -> bool | None:
        node = doc.node("Settings")
        if node is None:
            return None
        try:
            settings = YamlMap(node, file=COURSE_FILE, what="'Settings'", warn=self.warn)
            audio = settings.mapping("Audio", what="'Audio'")
            enabled = None if audio is None else audio.text("Enabled", context="in 'Audio'")
        except CourseFormatError as exc:
            # Settings only tune LibreLingo's own build; a malformed block (the Basque
            # course has a list here) does not make the course unusable.
            self._note(file=exc.file, line=exc.line, message=f"'Settings' ignored: {exc.message}")
            return None
        if enabled is None:
            return None
        if enabled.strip().lower() in _TRUE:
            return True
        if enabled.strip().lower() in _FALSE:
            return False
        self._note(
            file=COURSE_FILE,
            line=audio.key_line("Enabled") if audio else None,
            message=f"'Enabled' should be true or false, not '{enabled}'; ignored",
        )
        return None

    def _warn_unreferenced_modules(self, referenced: set[str]) -> None:
        _, folders = self._source.list_dir("")
        for folder in folders:
            if folder not in referenced and self._source.read(f"{folder}/{MODULE_FILE}"):
                self._note(
                    file=f"{folder}/{MODULE_FILE}",
                    line=None,
                    message="module is not listed in course.yaml; ignored",
                )

    # -- modules ---------------------------------------------------------------

    def _unit(self, key: str) -> UnitSpec:
        path = f"{key}/{MODULE_FILE}"
        doc = self._load_map(path, what="module.yaml")
        self._warn_unknown(doc, {"Module", "Skills"}, "module.yaml")
        module = doc.required_mapping("Module", what="'Module'")
        title = module.required_text("Name", context="in 'Module'")
        if "Skills" not in doc:
            raise doc.error("'Skills' is missing")
        lessons = []
        referenced: set[str] = set()
        for name, line in doc.texts("Skills", context=""):
            name = name.strip()
            if not _is_safe_segment(name) or not name.endswith(SKILL_SUFFIXES):
                raise CourseFormatError(
                    file=path, line=line, message=f"skill '{name}' is not a .yaml file name"
                )
            skill_path = f"{key}/skills/{name}"
            if self._source.read(skill_path) is None:
                raise CourseFormatError(
                    file=path, line=line, message=f"skill file '{name}' is missing ({skill_path})"
                )
            referenced.add(name)
            lessons.append(self._lesson(unit_key=key, file_name=name))
        self._warn_orphan_skill_files(key, referenced)
        return UnitSpec(key=key, title=title, lessons=tuple(lessons))

    def _warn_orphan_skill_files(self, unit_key: str, referenced: set[str]) -> None:
        files, _ = self._source.list_dir(f"{unit_key}/skills")
        stems = {posixpath.splitext(name)[0] for name in files if name.endswith(SKILL_SUFFIXES)}
        for name in files:
            stem, suffix = posixpath.splitext(name)
            if suffix in SKILL_SUFFIXES and name not in referenced:
                self._note(
                    file=f"{unit_key}/skills/{name}",
                    line=None,
                    message=f"skill file is not listed in {unit_key}/{MODULE_FILE}; ignored",
                )
            elif suffix == ".md" and stem not in stems:
                self._note(
                    file=f"{unit_key}/skills/{name}",
                    line=None,
                    message="tips file has no skill .yaml of the same name; ignored",
                )

    # -- skills ------------------------------------------------------------------

    def _lesson(self, *, unit_key: str, file_name: str) -> LessonSpec:
        path = f"{unit_key}/skills/{file_name}"
        slug = posixpath.splitext(file_name)[0]
        doc = self._load_map(path, what="the skill file")
        self._warn_unknown(doc, {"Skill", "New words", "Phrases", "Mini-dictionary"}, "skill file")
        skill = doc.required_mapping("Skill", what="'Skill'")
        self._warn_unknown(skill, {"Name", "Id", "Thumbnails"}, "'Skill'")
        title = skill.required_text("Name", context="in 'Skill'")
        skill_id = skill.text("Id", context="in 'Skill'")
        key = slug if skill_id is None or not skill_id.strip() else skill_id.strip()
        if key in self._lesson_keys:
            raise CourseFormatError(
                file=path,
                line=skill.key_line("Id") if skill_id else skill.line,
                message=f"duplicate skill id '{key}' (also used by {self._lesson_keys[key]})",
            )
        self._lesson_keys[key] = path
        tips = self._source.read(f"{unit_key}/skills/{slug}.md")
        items: list[ItemSpec] = []
        occurrences: dict[tuple[str, str], int] = {}
        sections: tuple[tuple[ItemKind, str], ...] = (("word", "New words"), ("phrase", "Phrases"))
        for kind, section in sections:
            for node in doc.sequence(section):
                item = self._item(
                    node, kind=kind, file=path, lesson_key=key, occurrences=occurrences
                )
                items.append(item)
        return LessonSpec(
            key=key,
            slug=slug,
            title=title,
            thumbnails=tuple(text for text, _ in skill.texts("Thumbnails", context="")),
            tips_markdown=None
            if tips is None
            else decode_text(tips, file=f"{unit_key}/skills/{slug}.md"),
            items=tuple(items),
            mini_dictionary=self._mini_dictionary(doc),
        )

    def _item(
        self,
        node: Node,
        *,
        kind: ItemKind,
        file: str,
        lesson_key: str,
        occurrences: dict[tuple[str, str], int],
    ) -> ItemSpec:
        entry = YamlMap(node, file=file, what=f"a {kind} entry", warn=self.warn)
        main_key = _MAIN_KEY[kind]
        text = entry.required_text(main_key, context=f"for a {kind}")
        context = f"for {kind} '{text}'"
        translation = entry.required_text("Translation", context=context)
        self._warn_unknown(entry, {main_key, *_ITEM_KEYS}, context)
        text_alternatives = self._alternatives(
            entry, _TEXT_ALTERNATIVE_KEYS, kind=kind, context=context
        )
        translation_alternatives = self._alternatives(
            entry, _TRANSLATION_ALTERNATIVE_KEYS, kind=kind, context=context
        )
        for key, value, line in (
            (main_key, text, entry.key_line(main_key)),
            ("Translation", translation, entry.key_line("Translation")),
            *text_alternatives,
            *translation_alternatives,
        ):
            position = unbalanced_bracket(value)
            if position is not None:
                raise CourseFormatError(
                    file=file,
                    line=line,
                    message=f"unbalanced '{value[position]}' in '{key}' {context}: '{value}'",
                )
        identity = (kind, unicodedata.normalize("NFC", text))
        occurrence = occurrences.get(identity, 0) + 1
        occurrences[identity] = occurrence
        if occurrence > 1:
            self._note(
                file=file,
                line=entry.line,
                message=f"{kind} '{text}' appears {occurrence} times in this skill",
            )
        return ItemSpec(
            key=item_key(lesson_key=lesson_key, kind=kind, text=text, occurrence=occurrence),
            kind=kind,
            text=text,
            translation=translation,
            text_alternatives=tuple(value for _, value, _ in text_alternatives),
            translation_alternatives=tuple(value for _, value, _ in translation_alternatives),
            images=tuple(value for value, _ in entry.texts("Images", context=context)),
        )

    def _alternatives(
        self, entry: YamlMap, keys: tuple[str, ...], *, kind: ItemKind, context: str
    ) -> list[tuple[str, str, int]]:
        found = []
        standard = {_STANDARD_TEXT_KEYS[kind], *_STANDARD_TRANSLATION_KEYS[kind]}
        for key in keys:
            if key not in entry:
                continue
            if key not in standard:
                self._note(
                    file=entry.file,
                    line=entry.key_line(key),
                    message=f"non-standard key '{key}' {context} read as alternatives",
                )
            for value, line in entry.texts(key, context=context):
                found.append((key, value, line))
        return found

    # -- shared ------------------------------------------------------------------

    def _mini_dictionary(self, doc: YamlMap) -> tuple[DictionaryEntry, ...]:
        section = doc.mapping("Mini-dictionary", what="'Mini-dictionary'")
        if section is None:
            return ()
        entries = []
        for language in section:
            for node in section.sequence(language):
                # Dictionaries hold tens of thousands of lines in the Basque course,
                # so nodes are read directly rather than through YamlMap.
                if not isinstance(node, MappingNode):
                    raise CourseFormatError(
                        file=doc.file,
                        line=line_of(node),
                        message=f"a '{language}' dictionary entry must be 'word: meaning'",
                    )
                for word_node, meaning in node.value:
                    entries.append(
                        DictionaryEntry(
                            language=language,
                            word=self._dictionary_text(word_node, file=doc.file),
                            definitions=self._definitions(meaning, file=doc.file),
                        )
                    )
        return tuple(entries)

    def _definitions(self, node: Node, *, file: str) -> tuple[str, ...]:
        if is_empty(node):
            return ()
        if isinstance(node, SequenceNode):
            return tuple(self._dictionary_text(element, file=file) for element in node.value)
        return (self._dictionary_text(node, file=file),)

    @staticmethod
    def _dictionary_text(node: Node, *, file: str) -> str:
        if not isinstance(node, ScalarNode):
            raise CourseFormatError(
                file=file, line=line_of(node), message="dictionary words and meanings must be text"
            )
        return str(node.value)

    def _warn_unknown(self, doc: YamlMap, known: set[str], where: str) -> None:
        for key in doc:
            if key not in known:
                self._note(
                    file=doc.file, line=doc.key_line(key), message=f"unknown key '{key}' in {where}"
                )
