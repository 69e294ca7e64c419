"""The app's one HTTP client: every call runs on a worker thread, every result on the main one.

Screens call :meth:`ApiClient.call` (or :meth:`ApiClient.run` for several requests in
a row) with ``on_success``/``on_error`` callbacks; the request runs on a single
worker thread (so requests keep their order, which the offline queue relies
on) and the callback is scheduled with ``Clock.schedule_once``, i.e. it runs on
Kivy's main thread where touching widgets is safe. The UI thread never waits
for the network.

Tokens (access + refresh) live in ``tokens.json`` in the app's user data folder.
A 401 on an authenticated call spends the refresh token on ``POST /auth/refresh``
(refresh tokens rotate: the new pair is saved before the call is retried once).
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

from mobile.offline import NetworkDown, Rejected, atomic_write_json, read_json

API_PREFIX = "/api/v1"

Callback = Callable[[Any], None] | None


class ApiError(Exception):
    """The server answered with an error (the shared ``{"error": {...}}`` shape)."""

    def __init__(self, status: int, code: str, message: str, details: Any = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.details = status, code, message, details

    def __str__(self) -> str:
        return self.message


class SignedOut(ApiError):
    """No usable tokens: the learner has to sign in again."""


def _deliver_on_main_thread(fn: Callable[[], None]) -> None:
    from kivy.clock import Clock

    Clock.schedule_once(lambda _dt: fn(), 0)


class TokenStore:
    """The token pair on disk (``tokens.json``, readable by the app's user only)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        data = read_json(self.path, {}) or {}
        self.access: str | None = data.get("access_token")
        self.refresh: str | None = data.get("refresh_token")

    @property
    def signed_in(self) -> bool:
        return bool(self.refresh or self.access)

    def save(self, pair: dict[str, Any]) -> None:
        with self._lock:
            self.access = pair["access_token"]
            self.refresh = pair["refresh_token"]
            atomic_write_json(
                self.path, {"access_token": self.access, "refresh_token": self.refresh}
            )
            with contextlib.suppress(OSError):
                os.chmod(self.path, 0o600)

    def clear(self) -> None:
        with self._lock:
            self.access = self.refresh = None
            with contextlib.suppress(OSError):
                self.path.unlink()


class ApiClient:
    def __init__(
        self,
        base_url: str,
        tokens: TokenStore,
        *,
        timeout: float = 8.0,
        deliver: Callable[[Callable[[], None]], None] = _deliver_on_main_thread,
    ) -> None:
        self.base_url = base_url
        self.tokens = tokens
        self._deliver = deliver
        self._http = httpx.Client(timeout=httpx.Timeout(timeout, connect=min(timeout, 3.0)))
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="grader-api")
        self._refresh_lock = threading.Lock()

    @property
    def base_url(self) -> str:
        return self._base_url

    @base_url.setter
    def base_url(self, value: str) -> None:
        self._base_url = value.strip().rstrip("/")

    # -- running off the main thread ---------------------------------------------------------

    def run(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_success: Callback = None,
        on_error: Callback = None,
        **kwargs: Any,
    ) -> Future[Any]:
        """Run ``fn(*args, **kwargs)`` on the worker; result or error goes to the main thread."""

        def job() -> Any:
            try:
                result = fn(*args, **kwargs)
            except Exception as error:
                if on_error is not None:
                    self._deliver(lambda error=error: on_error(error))
                raise
            if on_success is not None:
                self._deliver(lambda: on_success(result))
            return result

        return self._executor.submit(job)

    def call(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        auth: bool = True,
        on_success: Callback = None,
        on_error: Callback = None,
    ) -> Future[Any]:
        return self.run(
            self.request, method, path, json=json, auth=auth,
            on_success=on_success, on_error=on_error,
        )  # fmt: skip

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)
        self._http.close()

    # -- blocking requests (worker thread only) ------------------------------------------

    def request(self, method: str, path: str, *, json: Any = None, auth: bool = True) -> Any:
        if auth and not self.tokens.signed_in:
            raise SignedOut(401, "signed_out", "Please sign in.")
        response = self._send(method, path, json=json, auth=auth)
        if response.status_code == 401 and auth:
            self._refresh(spent=self.tokens.refresh)
            response = self._send(method, path, json=json, auth=auth)
        return self._decode(response)

    def _send(self, method: str, path: str, *, json: Any, auth: bool) -> httpx.Response:
        headers = {"Accept": "application/json"}
        if auth and self.tokens.access:
            headers["Authorization"] = f"Bearer {self.tokens.access}"
        try:
            return self._http.request(
                method, f"{self.base_url}{API_PREFIX}{path}", json=json, headers=headers
            )
        except httpx.TransportError as error:
            raise NetworkDown(f"Can't reach {self.base_url}: {error}") from error

    def _refresh(self, *, spent: str | None) -> None:
        with self._refresh_lock:
            if self.tokens.refresh != spent:  # another call already refreshed
                return
            if not spent:
                self.tokens.clear()
                raise SignedOut(401, "signed_out", "Please sign in again.")
            response = self._send(
                "POST", "/auth/refresh", json={"refresh_token": spent}, auth=False
            )
            if response.status_code != 200:
                self.tokens.clear()
                raise SignedOut(401, "signed_out", "Your sign-in has expired; sign in again.")
            self.tokens.save(response.json())

    @staticmethod
    def _decode(response: httpx.Response) -> Any:
        if response.status_code == 204:
            return None
        try:
            body = response.json()
        except ValueError:
            body = None
        if response.is_success:
            return body
        error = body.get("error", {}) if isinstance(body, dict) else {}
        code = error.get("code", "http_error")
        message = error.get("message") or f"The server said {response.status_code}."
        if response.status_code >= 500:
            # The server is up but unwell: treat it like no connection, keep things queued.
            raise NetworkDown(message)
        if response.status_code == 401:
            raise SignedOut(401, code, message, error.get("details"))
        raise ApiError(response.status_code, code, message, error.get("details"))

    # -- the API, one method per endpoint (blocking; use with run()) --------------------------

    def login(self, login: str, password: str) -> dict[str, Any]:
        pair = self.request(
            "POST", "/auth/login", json={"login": login, "password": password}, auth=False
        )
        self.tokens.save(pair)
        return self.me()

    def register(self, email: str, username: str, password: str) -> dict[str, Any]:
        self.request(
            "POST",
            "/auth/register",
            json={"email": email, "username": username, "password": password},
            auth=False,
        )
        return self.login(username, password)

    def logout(self) -> None:
        refresh = self.tokens.refresh
        self.tokens.clear()
        if refresh:
            with contextlib.suppress(NetworkDown, ApiError):
                self.request("POST", "/auth/logout", json={"refresh_token": refresh}, auth=False)

    def me(self) -> dict[str, Any]:
        return self.request("GET", "/users/me")

    def courses(self) -> list[dict[str, Any]]:
        return self.request("GET", "/courses?limit=100", auth=False)["data"]

    def enroll(self, course_id: int) -> dict[str, Any]:
        return self.request("POST", f"/courses/{int(course_id)}/enroll")

    def tree(self, course_id: int) -> dict[str, Any]:
        return self.request("GET", f"/courses/{int(course_id)}/tree")

    def start_lesson(self, lesson_id: int) -> dict[str, Any]:
        return self.request("POST", f"/lessons/{int(lesson_id)}/sessions")

    def start_practice(self, course_id: int | None) -> dict[str, Any]:
        return self.request("POST", "/practice/sessions", json={"course_id": course_id})

    def session(self, session_id: int) -> dict[str, Any]:
        return self.request("GET", f"/sessions/{int(session_id)}")

    def answer(
        self, session_id: int, *, exercise_id: int, answer: Any, client_answer_id: str
    ) -> dict[str, Any]:
        return self.request(
            "POST",
            f"/sessions/{int(session_id)}/answers",
            json={
                "exercise_id": exercise_id,
                "answer": answer,
                "client_answer_id": client_answer_id,
            },
        )

    def complete(self, session_id: int) -> dict[str, Any]:
        return self.request("POST", f"/sessions/{int(session_id)}/complete")

    def progress(self) -> dict[str, Any]:
        return self.request("GET", "/users/me/progress")

    def leaderboard(self) -> dict[str, Any]:
        return self.request("GET", "/leaderboard")

    def send_queued(self, op: dict[str, Any]) -> Any:
        """Send one operation of the offline queue (see :meth:`OfflineStore.flush`).

        Signed out or rate limited: stop and keep the queue. Any other refusal is final.
        """
        try:
            if op["op"] == "answer":
                return self.answer(
                    op["session_id"],
                    exercise_id=op["exercise_id"],
                    answer=op["answer"],
                    client_answer_id=op["client_answer_id"],
                )
            return self.complete(op["session_id"])
        except SignedOut:
            raise
        except ApiError as error:
            if error.status == 429:
                raise NetworkDown(error.message) from error
            raise Rejected(error.status, error.code, error.message) from error
