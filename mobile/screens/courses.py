"""The course catalogue: pick a course to enrol in it and open its path."""

from __future__ import annotations

from typing import Any

from kivy.app import App
from kivy.metrics import dp
from kivy.uix.button import Button
from kivy.uix.screenmanager import Screen

from mobile.screens import load_kv

load_kv("courses")


class CoursesScreen(Screen):
    def on_kv_post(self, base_widget: Any) -> None:
        App.get_running_app().state.bind(courses=lambda _s, courses: self.render(courses))

    def on_pre_enter(self, *_args: Any) -> None:
        self.render(App.get_running_app().state.courses)

    def render(self, courses: list[dict[str, Any]]) -> None:
        box = self.ids.list
        box.clear_widgets()
        for course in courses:
            button = Button(
                text=f"{course['title']}\n[size=13sp]{course['target_language_name']} "
                f"for {course['source_language_name']} speakers[/size]",
                markup=True,
                halign="center",
                size_hint_y=None,
                height=dp(64),
            )
            button.course_id = course["id"]
            button.bind(on_release=lambda b: App.get_running_app().open_course(b.course_id))
            box.add_widget(button)


SCREEN_CLASS = CoursesScreen
