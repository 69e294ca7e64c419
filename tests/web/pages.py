"""Page objects: one per view, so the tests read as what a learner does."""

from __future__ import annotations

import re
from typing import Any, Literal

from playwright.sync_api import Page, expect

from app.services.librelingo.text import first_variant, tiles
from tests.web.conftest import PASSWORD, LiveServer

Mode = Literal["correct", "typo", "wrong"]


def sign_in_with_tokens(page: Page, tokens: dict[str, str], where: str = "#/learn") -> None:
    """Skip the sign-in form: put the token pair where the client keeps it."""
    page.goto("/")
    page.evaluate(
        "t => localStorage.setItem('grader.tokens', JSON.stringify(t))",
        {"access_token": tokens["access_token"], "refresh_token": tokens["refresh_token"]},
    )
    page.goto(f"/{where}")


class LoginPage:
    def __init__(self, page: Page) -> None:
        self.page = page

    def open(self) -> LoginPage:
        self.page.goto("/#/login")
        return self

    def sign_in(self, login: str, password: str = PASSWORD) -> None:
        self.page.get_by_test_id("login-name").fill(login)
        self.page.get_by_test_id("login-password").fill(password)
        self.page.get_by_test_id("login-submit").click()


class SignupPage:
    def __init__(self, page: Page) -> None:
        self.page = page

    def open(self) -> SignupPage:
        self.page.goto("/#/signup")
        return self

    def sign_up(self, username: str, email: str, password: str = PASSWORD) -> None:
        self.page.get_by_test_id("signup-email").fill(email)
        self.page.get_by_test_id("signup-username").fill(username)
        self.page.get_by_test_id("signup-password").fill(password)
        self.page.get_by_test_id("signup-submit").click()


def _typo(text: str) -> str | None:
    """Change one letter in the middle of the longest word (5+ letters): a slip, not a new word."""
    words = text.split(" ")
    longest = max(range(len(words)), key=lambda i: len(words[i]))
    word = words[longest]
    if len(re.sub(r"\W", "", word)) < 5:
        return None
    middle = len(word) // 2
    words[longest] = word[:middle] + ("x" if word[middle] != "x" else "z") + word[middle + 1 :]
    return " ".join(words)


class PlayerPage:
    """Plays the exercise on screen, reading its answer from the database by id."""

    def __init__(self, page: Page, server: LiveServer) -> None:
        self.page = page
        self.server = server

    @property
    def exercise(self) -> Any:
        return self.page.get_by_test_id("exercise")

    def current(self) -> tuple[int, str, dict[str, Any]]:
        expect(self.page.get_by_test_id("player")).to_have_attribute(
            "data-phase", re.compile("answering|done")
        )
        ex = self.exercise
        exercise_id = int(ex.get_attribute("data-exercise-id"))
        return exercise_id, ex.get_attribute("data-type"), self.server.exercise(exercise_id)

    def done(self) -> bool:
        return self.page.get_by_test_id("player").get_attribute("data-phase") == "done"

    def wait_ready(self) -> None:
        expect(self.page.get_by_test_id("player")).to_have_attribute(
            "data-phase", re.compile("answering|done")
        )

    # -- answering with pointer and text -------------------------------------------------
    def answer(self, mode: Mode = "correct") -> tuple[str, Mode]:
        """Give an answer; returns (type, the mode really used: typo falls back to correct)."""
        _, kind, payload = self.current()
        page = self.page
        if kind in ("translate", "listen", "fill_blank"):
            text = first_variant(payload["accepted"][0])
            if mode == "typo":
                slipped = _typo(text)
                if slipped is None:
                    mode = "correct"
                else:
                    text = slipped
            if mode == "wrong":
                text = "zzqx wvut"
            page.get_by_test_id("answer-input").fill(text)
        elif kind == "multiple_choice":
            index = payload["correct_index"]
            if mode == "wrong":
                index = (index + 1) % len(payload["options"])
            mode = "wrong" if mode == "wrong" else "correct"
            page.locator(f'[data-testid="option"][data-index="{index}"]').click()
        elif kind == "word_bank":
            words = tiles(first_variant(payload["accepted"][0]))
            if mode == "wrong":
                words = list(reversed(words))[:1]
            mode = "wrong" if mode == "wrong" else "correct"
            for word in words:
                page.locator(
                    f'[data-testid="bank-tile"][data-text="{word}"]:not(.used)'
                ).first.click()
        elif kind == "match_pairs":
            pairs = [(p["left"], p["right"]) for p in payload["pairs"]]
            if mode == "wrong":
                (l0, r0), (l1, r1) = pairs[0], pairs[1]
                pairs[0], pairs[1] = (l0, r1), (l1, r0)
            mode = "wrong" if mode == "wrong" else "correct"
            for left, right in pairs:
                page.locator(f'[data-testid="match-left"][data-text="{left}"]').click()
                page.locator(f'[data-testid="match-right"][data-text="{right}"]').click()
        else:  # pragma: no cover - a new exercise type
            raise AssertionError(f"unknown exercise type {kind}")
        page.get_by_test_id("check").click()
        expect(page.get_by_test_id("verdict")).to_be_visible()
        return kind, mode

    def next(self) -> None:
        self.page.get_by_test_id("check").click()

    def verdict(self) -> Any:
        return self.page.get_by_test_id("verdict")
