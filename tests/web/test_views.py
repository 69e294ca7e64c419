"""Every main view renders without console errors, on a phone (375 px) and on a desktop."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.web.conftest import LiveServer
from tests.web.pages import PlayerPage, sign_in_with_tokens

pytestmark = pytest.mark.web

VIEWS = {
    "learn": ("#/learn", "learning-list"),
    "courses": ("#/courses", "catalogue"),
    "path": ("#/course/1", "unit"),
    "profile": ("#/profile", "xp-chart"),
    "leaderboard": ("#/leaderboard", "not-joined"),
    "author": ("#/author", "preview-form"),
    "player": ("#/lesson/1", "exercise"),
}


@pytest.mark.parametrize("viewport", ["mobile", "desktop"])
def test_views_render_cleanly(
    page: Page, mobile_page: Page, live_server: LiveServer, viewport: str, shot
) -> None:
    tab = mobile_page if viewport == "mobile" else page
    user = live_server.register("views", role="author")
    user.call("POST", "/courses/1/enroll")
    sign_in_with_tokens(tab, user.login(), "#/learn")
    for name, (where, testid) in VIEWS.items():
        tab.goto(f"/{where}")
        expect(tab.get_by_test_id(testid).first).to_be_visible()
        # nothing wider than the screen
        overflow = tab.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{name} overflows by {overflow}px at {viewport}"
        if viewport == "mobile" and name in ("path", "player", "profile", "learn"):
            shot(tab, f"mobile-{name}")
    if viewport == "mobile":
        # a whole exercise by touch on the phone
        player = PlayerPage(tab, live_server)
        player.answer("wrong")
        shot(tab, "mobile-feedback-wrong")


def test_the_login_form_shows_the_servers_message(
    page: Page, live_server: LiveServer, console
) -> None:
    console.allow("401")
    page.goto("/#/login")
    page.get_by_test_id("login-name").fill("nobody-here")
    page.get_by_test_id("login-password").fill("wrong password 1")
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("form-error")).to_be_visible()
    expect(page).to_have_url(re.compile("#/login"))
