"""Where course files come from: a folder on disk or an uploaded zip held in memory.

Paths given to a source are relative to the course root with forward slashes,
and the reader only asks for paths built from validated single segments.
"""

from __future__ import annotations

import io
import posixpath
import stat
import zipfile
from pathlib import Path, PurePosixPath
from typing import Protocol

from .errors import CourseFormatError

MAX_ZIP_TOTAL_SIZE = 50 * 1024 * 1024  # uncompressed bytes
MAX_ZIP_FILES = 5_000
ZIP_NAME = "<zip>"
_CHUNK = 1 << 16


class CourseSource(Protocol):
    def read(self, path: str) -> bytes | None:
        """The file's bytes, or None when there is no such file."""

    def is_dir(self, path: str) -> bool: ...

    def list_dir(self, path: str) -> tuple[list[str], list[str]]:
        """(file names, folder names) directly inside `path` ("" is the root)."""


class DirectorySource:
    def __init__(self, root: Path) -> None:
        self._root = root.resolve()

    def _resolve(self, path: str) -> Path | None:
        target = (self._root / path).resolve()
        # A symlinked module folder must not let a course read files outside itself.
        return target if target.is_relative_to(self._root) else None

    def read(self, path: str) -> bytes | None:
        target = self._resolve(path)
        if target is None or not target.is_file():
            return None
        return target.read_bytes()

    def is_dir(self, path: str) -> bool:
        target = self._resolve(path)
        return target is not None and target.is_dir()

    def list_dir(self, path: str) -> tuple[list[str], list[str]]:
        target = self._resolve(path)
        if target is None or not target.is_dir():
            return [], []
        entries = sorted(target.iterdir())
        return (
            [entry.name for entry in entries if entry.is_file()],
            [entry.name for entry in entries if entry.is_dir()],
        )


class ZipSource:
    """The files of an uploaded zip, read into memory with size and count limits.

    Nothing is extracted to disk. Names that could escape a folder (absolute,
    `..`, backslashes, drive letters) reject the whole upload.
    """

    def __init__(self, files: dict[str, bytes]) -> None:
        self._files = files
        self._dirs = {""}
        for name in files:
            parent = posixpath.dirname(name)
            while parent and parent not in self._dirs:
                self._dirs.add(parent)
                parent = posixpath.dirname(parent)

    @classmethod
    def from_bytes(
        cls,
        data: bytes,
        *,
        max_total_size: int = MAX_ZIP_TOTAL_SIZE,
        max_files: int = MAX_ZIP_FILES,
    ) -> ZipSource:
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, OSError):
            raise CourseFormatError(file=ZIP_NAME, line=None, message="not a zip file") from None
        with archive:
            members = [info for info in archive.infolist() if not info.is_dir()]
            if len(members) > max_files:
                raise CourseFormatError(
                    file=ZIP_NAME,
                    line=None,
                    message=f"zip has {len(members)} files, more than the limit of {max_files}",
                )
            for info in members:
                _check_member_name(info)
            # Declared sizes are checked first; reading also counts real bytes in
            # case a header lies.
            declared = sum(info.file_size for info in members)
            if declared > max_total_size:
                raise _too_large(max_total_size)
            budget = max_total_size
            files: dict[str, bytes] = {}
            for info in members:
                name = _clean_name(info.filename)
                if name.startswith("__MACOSX/") or _is_symlink(info):
                    continue
                try:
                    content = _read_limited(archive, info, budget=budget, limit=max_total_size)
                except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError) as exc:
                    raise CourseFormatError(
                        file=name, line=None, message=f"cannot read from zip: {exc}"
                    ) from None
                budget -= len(content)
                files[name] = content
        return cls(_rebase_on_course_yaml(files))

    def read(self, path: str) -> bytes | None:
        return self._files.get(path)

    def is_dir(self, path: str) -> bool:
        return path.rstrip("/") in self._dirs

    def list_dir(self, path: str) -> tuple[list[str], list[str]]:
        prefix = path.rstrip("/")
        files = sorted(
            posixpath.basename(name) for name in self._files if posixpath.dirname(name) == prefix
        )
        folders = sorted(
            posixpath.basename(name)
            for name in self._dirs
            if name and posixpath.dirname(name) == prefix
        )
        return files, folders


def _too_large(limit: int) -> CourseFormatError:
    return CourseFormatError(
        file=ZIP_NAME,
        line=None,
        message=f"zip content is larger than the limit of {limit // (1024 * 1024)} MB",
    )


def _clean_name(name: str) -> str:
    return name[2:] if name.startswith("./") else name


def _check_member_name(info: zipfile.ZipInfo) -> None:
    name = info.filename
    parts = PurePosixPath(name).parts
    unsafe = (
        "\\" in name
        or name.startswith("/")
        or ".." in parts
        or (len(name) > 1 and name[1] == ":")
        or "\x00" in name
    )
    if unsafe:
        raise CourseFormatError(file=name, line=None, message="unsafe path in zip")


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    return stat.S_ISLNK(info.external_attr >> 16)


def _read_limited(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, *, budget: int, limit: int
) -> bytes:
    chunks: list[bytes] = []
    size = 0
    with archive.open(info) as stream:
        while chunk := stream.read(_CHUNK):
            size += len(chunk)
            if size > budget:
                raise _too_large(limit)
            chunks.append(chunk)
    return b"".join(chunks)


def _rebase_on_course_yaml(files: dict[str, bytes]) -> dict[str, bytes]:
    """Make paths relative to the folder holding course.yaml (root or one folder down)."""
    candidates = sorted(
        (name for name in files if posixpath.basename(name) == "course.yaml"),
        key=lambda name: (name.count("/"), name),
    )
    if not candidates:
        raise CourseFormatError(file=ZIP_NAME, line=None, message="no course.yaml in zip")
    depth = candidates[0].count("/")
    shallowest = [name for name in candidates if name.count("/") == depth]
    if len(shallowest) > 1:
        raise CourseFormatError(
            file=ZIP_NAME,
            line=None,
            message="zip holds several courses: " + ", ".join(shallowest),
        )
    root = posixpath.dirname(candidates[0])
    if not root:
        return files
    prefix = root + "/"
    return {name[len(prefix) :]: data for name, data in files.items() if name.startswith(prefix)}
