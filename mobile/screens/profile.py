"""The learner's progress (GET /users/me/progress), sync status, server and sign-out."""

from __future__ import annotations

from typing import Any

from kivy.app import App
from kivy.properties import StringProperty
from kivy.uix.screenmanager import Screen
from kivy.utils import escape_markup

from mobile.screens import load_kv

load_kv("profile")


def progress_markup(progress: dict[str, Any]) -> str:
    if not progress:
        return "Loading..."
    streak, hearts, goal = progress["streak"], progress["hearts"], progress["daily_goal"]
    lines = [
        f"[b]{progress['xp_total']}[/b] XP in total, [b]{progress['xp_today']}[/b] today",
        f"Daily goal: {goal['xp_today']}/{goal['goal']} XP"
        + (" (reached)" if goal["reached"] else ""),
        f"Streak: [b]{streak['length']}[/b] days"
        + (" - at risk today!" if streak.get("at_risk") else "")
        + f", {streak['freezes_held']} freeze(s) held",
        f"Hearts: {hearts['hearts']}/{hearts['max_hearts']}",
        f"League: {escape_markup(progress['league_tier'])}",
    ]
    for course in progress.get("courses", []):
        nxt = course.get("next_lesson")
        lines.append(
            f"{escape_markup(course['title'])}: {course['lessons_completed']}/"
            f"{course['lesson_count']} lessons"
            + (f", next: {escape_markup(nxt['title'])}" if nxt else "")
        )
    return "\n".join(lines)


class ProfileScreen(Screen):
    summary = StringProperty("")

    def on_kv_post(self, base_widget: Any) -> None:
        App.get_running_app().state.bind(progress=lambda _s, value: self.render(value))

    def on_pre_enter(self, *_args: Any) -> None:
        self.render(App.get_running_app().state.progress)

    def render(self, progress: dict[str, Any]) -> None:
        self.summary = progress_markup(progress)

    def back(self) -> None:
        app = App.get_running_app()
        app.go("path" if app.state.course else "courses")


SCREEN_CLASS = ProfileScreen
