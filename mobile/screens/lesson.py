"""The lesson player: one exercise at a time in the server's queue order, then feedback.

Answers go through the app's disk queue. Online, the server's verdict comes back
and is shown with the typo/accent diff; offline, the answer stays queued and the
player says so and moves on: only the server judges answers.
"""

from __future__ import annotations

from typing import Any

from kivy.app import App
from kivy.properties import NumericProperty, ObjectProperty, OptionProperty, StringProperty
from kivy.uix.screenmanager import Screen

from mobile.feedback import reply_markup
from mobile.screens import load_kv
from mobile.screens.exercises import ExerciseView, view_for

load_kv("lesson")

SAVED_OFFLINE = "Saved. It will be checked when you're online."


class LessonScreen(Screen):
    mode = OptionProperty("idle", options=["idle", "answering", "waiting", "feedback", "finishing"])
    view = ObjectProperty(None, allownone=True, rebind=True)
    feedback_title = StringProperty("")
    feedback_body = StringProperty("")
    progress = NumericProperty(0)  # 0..1
    hearts_text = StringProperty("")
    _failed = False

    @property
    def app(self) -> Any:
        return App.get_running_app()

    @property
    def session(self) -> dict[str, Any]:
        return self.app.state.session  # type: ignore[no-any-return]

    def exercise(self, exercise_id: int) -> dict[str, Any]:
        return next(e for e in self.session["exercises"] if e["id"] == exercise_id)

    def _show_state(self) -> None:
        state = self.session.get("state", {})
        total = max(1, state.get("total", 1))
        self.progress = min(1.0, state.get("answered", 0) / total)
        if self.session.get("kind") == "lesson":
            hearts = state.get("hearts", {})
            self.hearts_text = f"Hearts {hearts.get('hearts', '?')}/{hearts.get('max_hearts', 5)}"
        else:
            self.hearts_text = "Practice"

    def show_next(self) -> None:
        self._failed = False
        self.feedback_title = self.feedback_body = ""
        self._show_state()
        queue = self.session.get("queue") or []
        if not queue:
            self.finish()
            return
        self.current_id = queue[0]
        area = self.ids.area
        area.clear_widgets()
        self.view = view_for(self.exercise(self.current_id), self.app.state.special_characters())
        area.add_widget(self.view)
        self.mode = "answering"

    # -- answering -----------------------------------------------------------------------------

    def check(self) -> None:
        if self.mode == "feedback":
            self.advance()
            return
        view: ExerciseView | None = self.view
        if self.mode != "answering" or view is None or not view.ready:
            return
        view.lock()
        self.mode = "waiting"
        self.app.submit_answer(self.current_id, view.answer(), self._on_result)

    def _on_result(self, outcome: str, value: Any) -> None:
        session = dict(self.session)
        queue = list(session.get("queue") or [])
        if self.current_id in queue:
            queue.remove(self.current_id)
        state = dict(session.get("state") or {})
        if outcome == "reply":
            title, body = reply_markup(value, self.exercise(self.current_id))
            if value["will_repeat"]:
                queue.append(self.current_id)
                body = (body + "\n" if body else "") + "You'll see this one again."
            state = value["state"]
            if state.get("status") == "failed":
                self._failed = True
                body = (body + "\n" if body else "") + "You're out of hearts. Practice to get one."
        elif outcome == "saved":
            title, body = "[color=9fc3ff]Saved[/color]", SAVED_OFFLINE
            state["answered"] = state.get("answered", 0) + 1
            state["remaining"] = max(0, state.get("remaining", 1) - 1)
        else:  # rejected: the session is over on the server (expired, finished...)
            title, body = "[color=ff6b5e]Not accepted[/color]", str(value)
            self._failed = value.code in ("session_expired", "out_of_hearts", "session_finished")
        session["queue"], session["state"] = queue, state
        self.app.state.session = session
        self.app.save_session()
        self.feedback_title, self.feedback_body = title, body
        self._show_state()
        self.mode = "feedback"

    def advance(self) -> None:
        if self._failed:
            self.app.go("path")
            self.app.reload_tree()
            return
        self.show_next()

    def quit(self) -> None:
        self.mode = "idle"
        self.app.go("path")

    # -- finishing -----------------------------------------------------------------------------

    def finish(self) -> None:
        self.mode = "finishing"
        self.ids.area.clear_widgets()
        self.view = None
        self.feedback_title, self.feedback_body = "Finishing...", ""
        self.app.finish_session(self._on_complete)

    def _on_complete(self, outcome: str, value: Any) -> None:
        if outcome == "reply":
            self.app.state.completion = value
        elif outcome == "saved":
            self.app.state.completion = {"pending": True, "kind": self.session.get("kind")}
        else:
            self.app.state.message = str(value)
            self.app.go("path")
            return
        self.mode = "idle"
        self.app.go("complete")


SCREEN_CLASS = LessonScreen
