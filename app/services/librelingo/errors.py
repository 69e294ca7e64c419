"""Errors and warnings raised while reading a LibreLingo course."""

from __future__ import annotations

from dataclasses import dataclass


class CourseFormatError(ValueError):
    """A course that cannot be imported; the whole course is rejected.

    `file` is relative to the course root (forward slashes), `line` is 1-based.
    """

    def __init__(self, *, file: str, line: int | None, message: str) -> None:
        self.file = file
        self.line = line
        self.message = message
        super().__init__(self._render())

    def _render(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.message}"

    def __str__(self) -> str:
        return self._render()

    def __reduce__(self) -> tuple[object, ...]:
        # Keyword-only __init__ would break pickling (e.g. across worker processes).
        return (_rebuild_error, (self.file, self.line, self.message))


def _rebuild_error(file: str, line: int | None, message: str) -> CourseFormatError:
    return CourseFormatError(file=file, line=line, message=message)


@dataclass(frozen=True, slots=True, kw_only=True)
class CourseWarning:
    """Something odd but harmless found while reading (the course is still imported)."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.message}"
