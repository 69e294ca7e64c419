"""A course's path: units and their lessons, locked, available or completed."""

from __future__ import annotations

from typing import Any

from kivy.app import App
from kivy.metrics import dp
from kivy.uix.button import Button
from kivy.uix.label import Label
from kivy.uix.screenmanager import Screen
from kivy.utils import escape_markup

from mobile.screens import load_kv

load_kv("path")

STATE_COLOURS = {
    "completed": (0.95, 0.75, 0.2, 1),
    "available": (0.35, 0.75, 0.3, 1),
    "locked": (0.4, 0.4, 0.45, 1),
}


class PathScreen(Screen):
    def on_kv_post(self, base_widget: Any) -> None:
        App.get_running_app().state.bind(course=lambda _s, course: self.render(course))

    def on_pre_enter(self, *_args: Any) -> None:
        self.render(App.get_running_app().state.course)

    def lesson_buttons(self) -> dict[int, Button]:
        return {
            child.lesson_id: child
            for child in self.ids.units.children
            if hasattr(child, "lesson_id")
        }

    def render(self, course: dict[str, Any]) -> None:
        box = self.ids.units
        box.clear_widgets()
        current = course.get("current_lesson_id")
        for unit in course.get("units", []):
            box.add_widget(
                Label(
                    text=f"[b]{escape_markup(unit['title'])}[/b]",
                    markup=True,
                    size_hint_y=None,
                    height=dp(36),
                )
            )
            for lesson in unit["lessons"]:
                state = lesson.get("state", "available")
                label = {"completed": "done", "available": "start", "locked": "locked"}[state]
                if lesson["id"] == current:
                    label = "next up"
                times = lesson.get("times_completed", 0)
                suffix = f" · played {times}x" if times else ""
                button = Button(
                    text=f"{escape_markup(lesson['title'])}  [size=13sp]({label}{suffix})[/size]",
                    markup=True,
                    size_hint_y=None,
                    height=dp(52) if lesson["id"] == current else dp(44),
                    background_color=STATE_COLOURS.get(state, STATE_COLOURS["available"]),
                    disabled=state == "locked",
                )
                button.lesson_id = lesson["id"]
                button.lesson_state = state
                button.bind(on_release=lambda b: App.get_running_app().open_lesson(b.lesson_id))
                box.add_widget(button)


SCREEN_CLASS = PathScreen
