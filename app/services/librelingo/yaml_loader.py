"""YAML reading that keeps every scalar exactly as written, with line numbers.

We compose documents into nodes instead of loading them: a node keeps the
scalar's source text (so `yes`, `on`, `no`, `1.0` or Basque `bai` stay strings
and never become booleans or numbers under YAML 1.1) and its position (so an
error can name the line). The C composer is used when available, for speed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .errors import CourseFormatError, CourseWarning

_BaseLoader: type[yaml.SafeLoader] | type[yaml.CSafeLoader] = getattr(
    yaml, "CSafeLoader", yaml.SafeLoader
)


class _TextLoader(_BaseLoader):  # type: ignore[valid-type,misc]
    """Resolves no implicit types: every plain scalar stays text, and composing is faster."""

    yaml_implicit_resolvers: dict[str, list[object]] = {}  # noqa: RUF012


WarnFn = Callable[[CourseWarning], None]


def line_of(node: Node) -> int:
    return int(node.start_mark.line) + 1


def decode_text(data: bytes, *, file: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CourseFormatError(file=file, line=line, message="not valid UTF-8") from None


def compose(data: bytes, *, file: str) -> Node | None:
    """Parse one YAML document into nodes; syntax errors become CourseFormatError."""
    text = decode_text(data, file=file)
    try:
        return yaml.compose(text, Loader=_TextLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = int(mark.line) + 1 if mark is not None else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise CourseFormatError(
            file=file, line=line, message=f"YAML syntax error: {problem}"
        ) from None
    except yaml.YAMLError as exc:
        raise CourseFormatError(file=file, line=None, message=f"YAML error: {exc}") from None


def is_empty(node: Node) -> bool:
    """An empty plain scalar (`Images:` with nothing after it) means "no value"."""
    return isinstance(node, ScalarNode) and node.style in (None, "") and node.value == ""


class YamlMap:
    """A mapping node with typed, error-reporting accessors."""

    def __init__(self, node: Node, *, file: str, what: str, warn: WarnFn) -> None:
        if not isinstance(node, MappingNode):
            raise CourseFormatError(
                file=file, line=line_of(node), message=f"{what} must be a mapping"
            )
        self.file = file
        self.line = line_of(node)
        self.warn = warn
        self._keys: dict[str, Node] = {}
        self._key_lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise CourseFormatError(
                    file=file, line=line_of(key_node), message=f"keys of {what} must be text"
                )
            key = key_node.value
            if key in self._keys:
                # Real courses repeat keys by mistake; like every YAML loader (and
                # LibreLingo) the last one wins, and the author gets told.
                warn(
                    CourseWarning(
                        file=file,
                        line=line_of(key_node),
                        message=f"duplicate key '{key}' in {what} (line "
                        f"{self._key_lines[key]}); the last one is used",
                    )
                )
            self._keys[key] = value_node
            self._key_lines[key] = line_of(key_node)

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._keys))

    def has(self, key: str) -> bool:
        return key in self._keys and not is_empty(self._keys[key])

    def key_line(self, key: str) -> int:
        return self._key_lines.get(key, self.line)

    def node(self, key: str) -> Node | None:
        node = self._keys.get(key)
        return None if node is None or is_empty(node) else node

    def error(self, message: str, *, key: str | None = None) -> CourseFormatError:
        line = self.line if key is None else self.key_line(key)
        return CourseFormatError(file=self.file, line=line, message=message)

    def text(self, key: str, *, context: str) -> str | None:
        """An optional text value; any scalar is taken verbatim as a string."""
        node = self.node(key)
        if node is None:
            return None
        if not isinstance(node, ScalarNode):
            raise CourseFormatError(
                file=self.file,
                line=line_of(node),
                message=f"'{key}'{_suffix(context)} must be text",
            )
        return str(node.value)

    def required_text(self, key: str, *, context: str) -> str:
        value = self.text(key, context=context)
        if value is None:
            raise self.error(f"'{key}' is missing{_suffix(context)}")
        if not value.strip():
            raise CourseFormatError(
                file=self.file,
                line=self.key_line(key),
                message=f"'{key}' is empty{_suffix(context)}",
            )
        return value

    def mapping(self, key: str, *, what: str) -> YamlMap | None:
        node = self.node(key)
        return None if node is None else YamlMap(node, file=self.file, what=what, warn=self.warn)

    def required_mapping(self, key: str, *, what: str, context: str = "") -> YamlMap:
        found = self.mapping(key, what=what)
        if found is None:
            raise self.error(f"'{key}' is missing{_suffix(context)}")
        return found

    def sequence(self, key: str) -> list[Node]:
        """A list value; an absent or empty value is an empty list."""
        node = self.node(key)
        if node is None:
            return []
        if not isinstance(node, SequenceNode):
            raise CourseFormatError(
                file=self.file, line=line_of(node), message=f"'{key}' must be a list"
            )
        return list(node.value)

    def texts(self, key: str, *, context: str) -> list[tuple[str, int]]:
        """A list of texts with their lines; a single text counts as a one-item list."""
        node = self.node(key)
        if node is None:
            return []
        if isinstance(node, ScalarNode):
            return [(str(node.value), line_of(node))]
        if not isinstance(node, SequenceNode):
            raise CourseFormatError(
                file=self.file,
                line=line_of(node),
                message=f"'{key}'{_suffix(context)} must be a list of texts",
            )
        found = []
        for element in node.value:
            if not isinstance(element, ScalarNode):
                raise CourseFormatError(
                    file=self.file,
                    line=line_of(element),
                    message=f"'{key}'{_suffix(context)} must be a list of texts",
                )
            if not element.value.strip():
                self.warn(
                    CourseWarning(
                        file=self.file,
                        line=line_of(element),
                        message=f"empty entry in '{key}'{_suffix(context)} ignored",
                    )
                )
                continue
            found.append((str(element.value), line_of(element)))
        return found


def _suffix(context: str) -> str:
    return f" {context.strip()}" if context.strip() else ""
