"""The app's state in one place: screens bind to these properties and never keep their own copy."""

from __future__ import annotations

from kivy.event import EventDispatcher
from kivy.properties import (
    BooleanProperty,
    DictProperty,
    ListProperty,
    NumericProperty,
    ObjectProperty,
    StringProperty,
)


class AppState(EventDispatcher):
    server_url = StringProperty("")
    user = DictProperty({})  # GET /users/me
    courses = ListProperty([])  # GET /courses
    course = DictProperty({})  # GET /courses/{id}/tree: the course being played
    session = DictProperty({})  # the lesson or practice session being played
    completion = DictProperty({})  # the last POST /sessions/{id}/complete reply
    progress = DictProperty({})  # GET /users/me/progress
    leaderboard = DictProperty({})  # GET /leaderboard
    online = BooleanProperty(True)  # False after a request failed to reach the server
    busy = BooleanProperty(False)  # a request the learner is waiting for is in flight
    pending_answers = NumericProperty(0)  # answers waiting to sync
    pending_completions = NumericProperty(0)
    sync_text = StringProperty("")  # "3 answers waiting to sync"
    message = StringProperty("")  # the last error or notice, shown by the status bar
    last_reply = ObjectProperty(None, allownone=True)  # the last AnswerReply (tests, feedback)

    def set_pending(self, answers: int, completions: int) -> None:
        self.pending_answers, self.pending_completions = answers, completions
        parts = []
        if answers:
            parts.append(f"{answers} answer{'s' if answers != 1 else ''}")
        if completions:
            parts.append(f"{completions} lesson{'s' if completions != 1 else ''} to finish")
        self.sync_text = f"{' and '.join(parts)} waiting to sync" if parts else ""

    def special_characters(self) -> list[str]:
        return list(self.course.get("special_characters") or [])
