"""Sign in, play a lesson with every exercise type through touches and typing, complete it."""

from __future__ import annotations

from typing import Any

import pytest

from tests.mobile.conftest import Server
from tests.mobile.helpers import answer_correctly

pytestmark = pytest.mark.mobile


def sign_in(driver: Any, user: dict[str, str]) -> None:
    login = driver.on_screen("login")
    driver.type_into(login.ids.login, user["username"])
    driver.type_into(login.ids.password, user["password"])
    driver.tap(login.ids.submit)
    driver.on_screen("courses")


def open_course(driver: Any, title: str) -> Any:
    courses = driver.screen("courses")
    button = driver.wait(
        lambda: next((b for b in courses.ids.list.children if title in b.text), None),
        what="course button",
    )
    button.dispatch("on_release")  # inside a ScrollView: press it directly
    return driver.on_screen("path")


class TestLesson:
    def test_sign_up_shows_the_courses(self, launch: Any, server: Server) -> None:
        driver = launch()
        login = driver.on_screen("login")
        driver.screenshot("login")
        driver.tap(login.ids.toggle)
        name = f"new{__import__('uuid').uuid4().hex[:8]}"
        driver.type_into(login.ids.email, f"{name}@example.com")
        driver.type_into(login.ids.login, name)
        driver.type_into(login.ids.password, "correct horse battery")
        driver.tap(login.ids.submit)
        courses = driver.on_screen("courses")
        driver.wait(lambda: courses.ids.list.children, what="course list")
        assert driver.app.state.user["username"] == name
        assert (driver.app.data_dir / "tokens.json").exists()
        driver.screenshot("courses")

    def test_a_whole_lesson_of_every_type_earns_xp_once(
        self, launch: Any, server: Server, course: dict[str, Any]
    ) -> None:
        user = server.register()
        driver = launch()
        sign_in(driver, user)
        path = open_course(driver, course["title"])
        lesson_button = driver.wait(lambda: path.lesson_buttons().get(course["lesson_id"]))
        assert lesson_button.lesson_state == "available"
        driver.screenshot("path")
        lesson_button.dispatch("on_release")
        screen = driver.on_screen("lesson")
        seen = []
        while screen.mode == "answering":
            kind = screen.view.exercise["type"]
            answer_correctly(
                driver, server, typo=kind == "translate", screenshot=f"exercise-{kind}"
            )
            driver.wait(lambda: screen.mode == "feedback", what="feedback")
            assert "Correct" in screen.feedback_title, screen.feedback_body
            if kind == "translate":  # a typo is forgiven and shown
                assert "typo" in screen.feedback_title
                assert "[u]" in screen.feedback_body
                driver.screenshot("feedback-typo")
            seen.append(kind)
            driver.tap(screen.ids.check)  # Continue
            driver.wait(lambda: screen.mode in ("answering", "idle", "finishing"))
        assert sorted(seen) == sorted(
            ["multiple_choice", "match_pairs", "word_bank", "listen", "fill_blank", "translate"]
        )
        complete = driver.on_screen("complete")
        completion = driver.app.state.completion
        assert completion["xp"]["total"] == 16  # 10 + 5 without mistakes + 1 combo
        assert complete.headline == "+16 XP"
        driver.screenshot("complete")
        assert server.progress(user)["xp_total"] == 16
        assert driver.app.store.pending() == []

        # Back on the path the lesson is done; the profile and the league show the XP.
        driver.tap(complete.ids.done)
        path = driver.on_screen("path")
        driver.wait(lambda: path.lesson_buttons()[course["lesson_id"]].lesson_state == "completed")
        driver.app.go("profile")
        driver.app.load_progress()
        profile = driver.on_screen("profile")
        driver.wait(lambda: "16" in profile.summary, what="progress")
        driver.screenshot("profile")
        driver.app.go("leaderboard")
        driver.app.load_leaderboard()
        board = driver.on_screen("leaderboard")
        driver.wait(lambda: board.ids.rows.children, what="standings")
        assert any("16 XP" in row.text and "(you)" in row.text for row in board.ids.rows.children)
        driver.screenshot("leaderboard")

        # Practice replays completed material; practice never costs hearts.
        driver.app.go("path")
        driver.tap(driver.on_screen("path").ids.practice)
        screen = driver.on_screen("lesson")
        assert driver.app.state.session["kind"] == "practice"
        assert screen.hearts_text == "Practice"
        driver.screenshot("practice")
