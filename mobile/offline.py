"""What the app keeps on disk: sessions already opened, cached replies, the answer queue.

Nothing here imports Kivy, so the queue's rules are testable as plain Python.

Every answer goes through the queue (a write-ahead log): it is written to
``queue.json`` before it is sent, and removed only once the server has replied.
A crash or a lost connection between the two leaves it queued; sending it again
is harmless because the server returns its first reply for a repeated
``client_answer_id``. Completions queue the same way, after the answers of
their session, and the server awards a completion once however often it is sent.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

QUEUE_FILE = "queue.json"
REJECTED_FILE = "rejected.json"


def atomic_write_json(path: Path, data: Any) -> None:
    """Write JSON so that readers see the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, separators=(",", ":"))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def read_json(path: Path, default: Any = None) -> Any:
    try:
        with path.open(encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError):
        return default


def _now() -> str:
    return datetime.now(UTC).isoformat()


class NetworkDown(Exception):
    """The server could not be reached; what was being sent stays queued."""


class Rejected(Exception):
    """The server refused an operation for good (4xx): retrying would not help."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


@dataclass
class FlushResult:
    """What one pass over the queue did, in queue order."""

    sent: list[tuple[dict[str, Any], Any]] = field(default_factory=list)
    rejected: list[tuple[dict[str, Any], Rejected]] = field(default_factory=list)
    offline: bool = False
    remaining: int = 0


class OfflineStore:
    """The app's disk: ``root/queue.json``, ``root/sessions/<id>.json``, ``root/cache/``."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._flush_lock = threading.Lock()
        self._queue: list[dict[str, Any]] = read_json(self.root / QUEUE_FILE, []) or []

    # -- sessions already opened ---------------------------------------------------------

    def _session_path(self, session_id: int) -> Path:
        return self.root / "sessions" / f"{int(session_id)}.json"

    def save_session(self, session: dict[str, Any]) -> None:
        with self._lock:
            atomic_write_json(self._session_path(session["id"]), session)

    def load_session(self, session_id: int) -> dict[str, Any] | None:
        data = read_json(self._session_path(session_id))
        return data if isinstance(data, dict) else None

    def forget_session(self, session_id: int) -> None:
        with self._lock, contextlib.suppress(OSError):
            self._session_path(session_id).unlink()

    def open_session_for(self, *, lesson_id: int | None, kind: str) -> dict[str, Any] | None:
        """The newest cached session of that lesson (or practice) still worth resuming."""
        folder = self.root / "sessions"
        if not folder.is_dir():
            return None
        now = datetime.now(UTC)
        best: dict[str, Any] | None = None
        for path in folder.glob("*.json"):
            data = read_json(path)
            if not isinstance(data, dict) or data.get("kind") != kind:
                continue
            if data.get("lesson_id") != lesson_id or data.get("finished"):
                continue
            if data.get("state", {}).get("status") != "active":
                continue
            try:
                if datetime.fromisoformat(data["expires_at"].replace("Z", "+00:00")) <= now:
                    continue
            except (KeyError, ValueError):
                continue
            if best is None or data["id"] > best["id"]:
                best = data
        return best

    # -- cached replies (courses, trees) for reading offline --------------------------------

    def cache_put(self, key: str, data: Any) -> None:
        with self._lock:
            atomic_write_json(self.root / "cache" / f"{key}.json", data)

    def cache_get(self, key: str) -> Any:
        return read_json(self.root / "cache" / f"{key}.json")

    # -- the queue -------------------------------------------------------------------------

    def _persist(self) -> None:
        atomic_write_json(self.root / QUEUE_FILE, self._queue)

    def enqueue_answer(self, *, session_id: int, exercise_id: int, answer: Any) -> dict[str, Any]:
        op = {
            "op": "answer",
            "id": uuid.uuid4().hex,
            "session_id": int(session_id),
            "exercise_id": int(exercise_id),
            "answer": answer,
            "queued_at": _now(),
        }
        op["client_answer_id"] = op["id"]
        with self._lock:
            self._queue.append(op)
            self._persist()
        return dict(op)

    def enqueue_complete(self, *, session_id: int) -> dict[str, Any]:
        op_id = f"complete-{int(session_id)}"
        with self._lock:
            for op in self._queue:
                if op["id"] == op_id:
                    return dict(op)
            op = {"op": "complete", "id": op_id, "session_id": int(session_id), "queued_at": _now()}
            self._queue.append(op)
            self._persist()
        return dict(op)

    def pending(self) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(op) for op in self._queue]

    def pending_counts(self) -> tuple[int, int]:
        """(answers, completions) waiting to sync."""
        with self._lock:
            answers = sum(op["op"] == "answer" for op in self._queue)
            return answers, len(self._queue) - answers

    def is_pending(self, op_id: str) -> bool:
        with self._lock:
            return any(op["id"] == op_id for op in self._queue)

    def _remove(self, op_id: str) -> None:
        with self._lock:
            self._queue = [op for op in self._queue if op["id"] != op_id]
            self._persist()

    def rejected(self) -> list[dict[str, Any]]:
        return read_json(self.root / REJECTED_FILE, []) or []

    def _reject(self, op: dict[str, Any], error: Rejected) -> None:
        with self._lock:
            log = self.rejected()
            log.append({**op, "error": {"status": error.status, "code": error.code}})
            atomic_write_json(self.root / REJECTED_FILE, log[-100:])
            self._queue = [item for item in self._queue if item["id"] != op["id"]]
            self._persist()

    def flush(
        self,
        send: Callable[[dict[str, Any]], Any],
        *,
        on_sent: Callable[[dict[str, Any], Any], None] | None = None,
    ) -> FlushResult:
        """Send the queue in order until it is empty or the network fails.

        ``send`` raises :class:`NetworkDown` (stop, keep the rest) or
        :class:`Rejected` (set the operation aside in ``rejected.json``, go on).
        One flush at a time: a second caller waits for the first to finish.
        """
        result = FlushResult()
        with self._flush_lock:
            for op in self._iter_pending():
                try:
                    reply = send(op)
                except NetworkDown:
                    result.offline = True
                    break
                except Rejected as error:
                    self._reject(op, error)
                    result.rejected.append((op, error))
                    continue
                self._remove(op["id"])
                result.sent.append((op, reply))
                if on_sent is not None:
                    on_sent(op, reply)
            result.remaining = len(self.pending())
        return result

    def _iter_pending(self) -> Iterator[dict[str, Any]]:
        done: set[str] = set()
        while True:
            with self._lock:
                nxt = next((op for op in self._queue if op["id"] not in done), None)
            if nxt is None:
                return
            done.add(nxt["id"])
            yield dict(nxt)
