"""The Kivy application: builds the screens, owns the API client, the disk store and the state."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kivy.app import App
from kivy.clock import Clock
from kivy.lang import Builder
from kivy.uix.screenmanager import NoTransition

from mobile import DEFAULT_SERVER
from mobile.api import ApiClient, ApiError, SignedOut, TokenStore
from mobile.offline import FlushResult, NetworkDown, OfflineStore, atomic_write_json, read_json
from mobile.state import AppState

HERE = Path(__file__).parent
SCREENS = ("login", "courses", "path", "lesson", "complete", "profile", "leaderboard")
SYNC_EVERY = 20.0  # seconds between automatic sync attempts while answers wait


class GraderApp(App):
    title = "grader"

    def __init__(
        self, *, server_url: str | None = None, data_dir: str | Path | None = None, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self._server_arg = server_url
        self._data_arg = Path(data_dir) if data_dir else None
        self._answer_waiters: dict[str, Callable[[str, Any], None]] = {}
        self._sync_running = False
        self._sync_again = False
        self._sync_waiting: list[Callable[[FlushResult], None]] = []

    # -- building -------------------------------------------------------------------------------

    @property
    def data_dir(self) -> Path:
        return self._data_arg or Path(self.user_data_dir)

    def build(self) -> Any:
        data = self.data_dir
        data.mkdir(parents=True, exist_ok=True)
        self.settings_path = data / "settings.json"
        url = self._server_arg or (read_json(self.settings_path, {}) or {}).get("server_url")
        url = url or DEFAULT_SERVER
        self.store = OfflineStore(data)
        self.tokens = TokenStore(data / "tokens.json")
        self.api = ApiClient(url, self.tokens)
        self.state = AppState(server_url=self.api.base_url)
        self._save_settings()
        root = Builder.load_file(str(HERE / "root.kv"))
        manager = root.ids.manager
        manager.transition = NoTransition()
        for name in SCREENS:
            module = importlib.import_module(f"mobile.screens.{name}")
            manager.add_widget(module.SCREEN_CLASS(name=name))
        self.manager = manager
        self.refresh_pending()
        manager.current = "courses" if self.tokens.signed_in else "login"
        Clock.schedule_interval(self._auto_sync, SYNC_EVERY)
        return root

    def on_start(self) -> None:
        if self.tokens.signed_in:
            self.load_me()
            self.load_courses()
            self.sync_now()

    def on_stop(self) -> None:
        self.api.close()

    # -- helpers ----------------------------------------------------------------------------------

    def go(self, name: str) -> None:
        self.manager.current = name

    def screen(self, name: str) -> Any:
        return self.manager.get_screen(name)

    def _save_settings(self) -> None:
        atomic_write_json(self.settings_path, {"server_url": self.api.base_url})

    def set_server(self, url: str) -> None:
        url = url.strip()
        if url and url.rstrip("/") != self.api.base_url:
            self.api.base_url = url
            self.state.server_url = self.api.base_url
            self._save_settings()

    def refresh_pending(self) -> None:
        self.state.set_pending(*self.store.pending_counts())

    def handle_error(self, error: BaseException) -> str:
        """Show an error the way the learner should see it; returns the message."""
        if isinstance(error, NetworkDown):
            self.state.online = False
            message = "You're offline. Answers are saved and will sync when you're back."
        elif isinstance(error, SignedOut):
            message = error.message
            self.state.user = {}
            self.go("login")
        elif isinstance(error, ApiError):
            message = error.message
        else:
            message = f"Something went wrong: {error}"
        self.state.message = message
        self.state.busy = False
        return message

    def request(
        self,
        fn: Callable[..., Any],
        *args: Any,
        done: Callable[[Any], None] | None = None,
        failed: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Run an ApiClient method off the main thread; ``done`` gets its result on it."""
        self.state.busy = True

        def ok(result: Any) -> None:
            self.state.busy = False
            self.state.online = True
            if done is not None:
                done(result)

        def bad(error: BaseException) -> None:
            self.state.busy = False
            if failed is not None:
                failed(error)
            else:
                self.handle_error(error)

        self.api.run(fn, *args, on_success=ok, on_error=bad)

    # -- accounts -------------------------------------------------------------------------------

    def sign_in(self, login: str, password: str) -> None:
        self.state.message = ""
        self.request(self.api.login, login, password, done=self._signed_in)

    def sign_up(self, email: str, username: str, password: str) -> None:
        self.state.message = ""
        self.request(self.api.register, email, username, password, done=self._signed_in)

    def _signed_in(self, user: dict[str, Any]) -> None:
        self.state.user = user
        self.state.message = ""
        self.go("courses")
        self.load_courses()
        self.sync_now()

    def sign_out(self) -> None:
        self.request(self.api.logout, done=lambda _r: None)
        self.state.user = {}
        self.state.course = {}
        self.go("login")

    def load_me(self) -> None:
        self.request(self.api.me, done=lambda user: setattr(self.state, "user", user))

    # -- courses and the path ---------------------------------------------------------------

    def load_courses(self) -> None:
        def done(courses: list[dict[str, Any]]) -> None:
            self.store.cache_put("courses", courses)
            self.state.courses = courses

        def failed(error: BaseException) -> None:
            self.handle_error(error)
            cached = self.store.cache_get("courses")
            if cached:
                self.state.courses = cached

        self.request(self.api.courses, done=done, failed=failed)

    def open_course(self, course_id: int) -> None:
        def fetch() -> dict[str, Any]:
            self.api.enroll(course_id)
            return self.api.tree(course_id)

        self._load_tree(fetch, course_id, then_go=True)

    def reload_tree(self) -> None:
        if self.state.course:
            course_id = self.state.course["id"]
            self._load_tree(lambda: self.api.tree(course_id), course_id, then_go=False)

    def _load_tree(self, fetch: Callable[[], Any], course_id: int, *, then_go: bool) -> None:
        def done(tree: dict[str, Any]) -> None:
            self.store.cache_put(f"tree-{course_id}", tree)
            self.state.course = tree
            if then_go:
                self.go("path")

        def failed(error: BaseException) -> None:
            self.handle_error(error)
            cached = self.store.cache_get(f"tree-{course_id}")
            if cached and isinstance(error, NetworkDown):
                self.state.course = cached
                if then_go:
                    self.go("path")

        self.request(fetch, done=done, failed=failed)

    # -- playing ----------------------------------------------------------------------------------

    def open_lesson(self, lesson_id: int) -> None:
        cached = self.store.open_session_for(lesson_id=lesson_id, kind="lesson")
        if cached is not None and cached.get("queue"):
            self.play(cached)
            return
        self._start(lambda: self.api.start_lesson(lesson_id))

    def start_practice(self) -> None:
        course_id = self.state.course.get("id")
        self._start(lambda: self.api.start_practice(course_id))

    def _start(self, fetch: Callable[[], dict[str, Any]]) -> None:
        def failed(error: BaseException) -> None:
            message = self.handle_error(error)
            if isinstance(error, NetworkDown):
                self.state.message = (
                    "You're offline, and this lesson hasn't been opened on this device yet."
                )
            else:
                self.state.message = message

        self.request(fetch, done=self.play, failed=failed)

    def play(self, session: dict[str, Any]) -> None:
        self.store.save_session(session)
        self.state.message = ""
        self.state.session = session
        self.go("lesson")
        self.screen("lesson").show_next()

    def save_session(self) -> None:
        if self.state.session:
            self.store.save_session(dict(self.state.session))

    def submit_answer(
        self, exercise_id: int, answer: Any, on_result: Callable[[str, Any], None]
    ) -> dict[str, Any]:
        """Queue an answer on disk, then send the queue.

        ``on_result("reply", AnswerReply)`` when the server judged it, or
        ``on_result("saved", None)`` when it stays queued (offline), or
        ``on_result("rejected", error)``. Always on the main thread.
        """
        session_id = self.state.session["id"]
        op = self.store.enqueue_answer(
            session_id=session_id, exercise_id=exercise_id, answer=answer
        )
        self._answer_waiters[op["id"]] = on_result
        self.refresh_pending()
        self.sync_now()
        return op

    def finish_session(self, on_result: Callable[[str, Any], None]) -> None:
        session = dict(self.state.session)
        session["finished"] = True
        self.store.save_session(session)
        op = self.store.enqueue_complete(session_id=session["id"])
        self._answer_waiters[op["id"]] = on_result
        self.refresh_pending()
        self.sync_now()

    # -- syncing the queue -------------------------------------------------------------------------

    def _auto_sync(self, _dt: float) -> None:
        if self.store.pending() and self.tokens.signed_in:
            self.sync_now()

    def sync_now(self, on_done: Callable[[FlushResult], None] | None = None) -> None:
        """Send what is queued, in order, on the worker thread."""
        if on_done is not None:
            self._sync_waiting.append(on_done)
        if self._sync_running:
            self._sync_again = True  # run once more when this pass ends
            return
        self._sync_running = True
        callbacks, self._sync_waiting = self._sync_waiting, []

        def finished(result: FlushResult | BaseException) -> None:
            self._sync_running = False
            if isinstance(result, FlushResult):
                self._after_flush(result)
            else:
                self.handle_error(result)
                self._settle_waiters("saved", None)
            if isinstance(result, FlushResult):
                for callback in callbacks:
                    callback(result)
            if self._sync_again:
                self._sync_again = False
                self.sync_now()

        self.api.run(self.store.flush, self.api.send_queued, on_success=finished, on_error=finished)

    def _after_flush(self, result: FlushResult) -> None:
        self.refresh_pending()
        if result.sent:
            self.state.online = True
        for op, reply in result.sent:
            if op["op"] == "answer":
                self._apply_answer(op, reply)
            else:
                self._apply_completion(op, reply)
        for op, error in result.rejected:
            waiter = self._answer_waiters.pop(op["id"], None)
            if waiter is not None:
                waiter("rejected", error)
            if op["op"] == "complete" and error.code == "session_not_done":
                self.state.message = "Some answers you gave offline need another try."
                self._reopen(op["session_id"])
        if result.offline:
            self.state.online = False
            self._settle_waiters("saved", None)
        elif not result.remaining and not result.rejected:
            self.state.message = ""

    def _settle_waiters(self, outcome: str, value: Any) -> None:
        for op_id in list(self._answer_waiters):
            if self.store.is_pending(op_id):
                self._answer_waiters.pop(op_id)(outcome, value)

    def _apply_answer(self, op: dict[str, Any], reply: dict[str, Any]) -> None:
        self.state.last_reply = reply
        waiter = self._answer_waiters.pop(op["id"], None)
        session = self.store.load_session(op["session_id"])
        if session is not None:
            session["state"] = reply["state"]
            if waiter is None and reply["will_repeat"] and not session.get("finished"):
                # Judged after the learner moved on (it was answered offline): ask it again.
                session["queue"] = [*session.get("queue", []), op["exercise_id"]]
            self.store.save_session(session)
            if self.state.session.get("id") == session["id"] and waiter is None:
                self.state.session = session
        if waiter is not None:
            waiter("reply", reply)

    def _apply_completion(self, op: dict[str, Any], reply: dict[str, Any]) -> None:
        self.store.forget_session(op["session_id"])
        self.state.completion = reply
        waiter = self._answer_waiters.pop(op["id"], None)
        if waiter is not None:
            waiter("reply", reply)
        self.reload_tree()

    def _reopen(self, session_id: int) -> None:
        def done(session: dict[str, Any]) -> None:
            self.store.save_session(session)

        self.request(self.api.session, session_id, done=done, failed=lambda _e: None)

    # -- profile and leaderboard ---------------------------------------------------------------

    def load_progress(self) -> None:
        def done(progress: dict[str, Any]) -> None:
            self.store.cache_put("progress", progress)
            self.state.progress = progress

        def failed(error: BaseException) -> None:
            self.handle_error(error)
            self.state.progress = self.store.cache_get("progress") or {}

        self.request(self.api.progress, done=done, failed=failed)

    def load_leaderboard(self) -> None:
        def done(board: dict[str, Any]) -> None:
            self.store.cache_put("leaderboard", board)
            self.state.leaderboard = board

        def failed(error: BaseException) -> None:
            self.handle_error(error)
            self.state.leaderboard = self.store.cache_get("leaderboard") or {}

        self.request(self.api.leaderboard, done=done, failed=failed)
