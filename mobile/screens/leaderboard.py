"""This week's league (GET /leaderboard)."""

from __future__ import annotations

from typing import Any

from kivy.app import App
from kivy.metrics import dp
from kivy.properties import StringProperty
from kivy.uix.label import Label
from kivy.uix.screenmanager import Screen
from kivy.utils import escape_markup

from mobile.screens import load_kv

load_kv("leaderboard")

ZONE_COLOURS = {"promote": "58c24a", "stay": "ffffff", "demote": "ff6b5e"}


class LeaderboardScreen(Screen):
    heading = StringProperty("")

    def on_kv_post(self, base_widget: Any) -> None:
        App.get_running_app().state.bind(leaderboard=lambda _s, value: self.render(value))

    def render(self, board: dict[str, Any]) -> None:
        rows = self.ids.rows
        rows.clear_widgets()
        if not board:
            self.heading = "Loading..."
            return
        self.heading = f"{board['tier'].title()} league - week of {board['week_start']}"
        if not board.get("joined"):
            rows.add_widget(
                Label(text="Earn XP this week to join a league.", size_hint_y=None, height=dp(40))
            )
        for standing in board.get("standings", []):
            name = escape_markup(standing["display_name"] or standing["username"])
            colour = ZONE_COLOURS.get(standing["zone"], "ffffff")
            text = f"[color={colour}]{standing['rank']}.[/color]  {name}"
            if standing["is_you"]:
                text = f"[b]{text} (you)[/b]"
            row = Label(
                text=f"{text}    [b]{standing['xp']} XP[/b]",
                markup=True,
                size_hint_y=None,
                height=dp(36),
            )
            row.user_id = standing["user_id"]
            rows.add_widget(row)


SCREEN_CLASS = LeaderboardScreen
