"""Lesson complete: the XP breakdown, the streak and the daily goal."""

from __future__ import annotations

from typing import Any

from kivy.app import App
from kivy.properties import NumericProperty, StringProperty
from kivy.uix.screenmanager import Screen

from mobile.screens import load_kv

load_kv("complete")


def summary(completion: dict[str, Any]) -> tuple[str, str, float]:
    """(headline, details, daily goal fraction) of a CompletionReply."""
    if not completion:
        return "", "", 0.0
    if completion.get("pending"):
        return (
            "Lesson finished!",
            "You're offline: your XP will be counted when your answers sync.",
            0.0,
        )
    xp, streak, goal = completion["xp"], completion["streak"], completion["daily_goal"]
    lines = [f"Lesson: {xp['base']} XP"]
    if xp["perfect_bonus"]:
        lines.append(f"No mistakes: +{xp['perfect_bonus']} XP")
    if xp["combo_bonus"]:
        lines.append(f"Combo: +{xp['combo_bonus']} XP")
    days = streak["length"]
    lines.append(f"Streak: {days} day{'s' if days != 1 else ''}")
    reached = " - reached!" if goal["reached"] else ""
    lines.append(f"Daily goal: {goal['xp_today']}/{goal['goal']} XP{reached}")
    return f"+{xp['total']} XP", "\n".join(lines), float(goal["fraction"])


class CompleteScreen(Screen):
    headline = StringProperty("")
    details = StringProperty("")
    goal_fraction = NumericProperty(0)

    def on_kv_post(self, base_widget: Any) -> None:
        App.get_running_app().state.bind(completion=lambda _s, value: self.render(value))

    def on_pre_enter(self, *_args: Any) -> None:
        self.render(App.get_running_app().state.completion)

    def render(self, completion: dict[str, Any]) -> None:
        self.headline, self.details, self.goal_fraction = summary(completion)

    def done(self) -> None:
        app = App.get_running_app()
        app.go("path")
        app.reload_tree()


SCREEN_CLASS = CompleteScreen
