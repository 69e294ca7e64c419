"""A lost connection, a 5xx, an expired sign-in, concurrent 401s, no hearts left."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page, Route, expect

from tests.web.conftest import ConsoleWatch, LiveServer
from tests.web.pages import LoginPage, PlayerPage, sign_in_with_tokens

pytestmark = pytest.mark.web


def test_a_lost_answer_is_kept_and_resent_with_the_same_id(
    page: Page, live_server: LiveServer, console: ConsoleWatch, shot
) -> None:
    console.allow("Failed to load resource")
    learner = live_server.register("flaky")
    learner.call("POST", "/courses/1/enroll")
    sign_in_with_tokens(page, learner.login(), "#/lesson/1")
    player = PlayerPage(page, live_server)
    player.wait_ready()

    sent: list[dict] = []
    failures = ["abort", 503]

    def flaky(route: Route) -> None:
        sent.append(json.loads(route.request.post_data or "{}"))
        if failures:
            failure = failures.pop(0)
            if failure == "abort":
                route.abort("internetdisconnected")
            else:
                route.fulfill(status=503, body="Service Unavailable")
            return
        route.continue_()

    page.route("**/api/v1/sessions/*/answers", flaky)
    _answer_without_waiting(player)
    retry = page.get_by_test_id("answer-retry")
    expect(retry).to_contain_text("Connection lost")
    expect(page.get_by_test_id("check")).to_have_text("Retry")
    shot(page, "player-retry")
    page.get_by_test_id("check").click()  # 503 this time
    expect(retry).to_contain_text("server had a problem")
    page.keyboard.press("Enter")  # Enter retries too (focus is on the Retry button)
    expect(page.get_by_test_id("verdict")).to_have_attribute("data-correct", "true")
    assert len(sent) == 3
    assert len({s["client_answer_id"] for s in sent}) == 1
    assert all(s == sent[0] for s in sent)
    # the server recorded it once
    rows = live_server.sql(
        "SELECT count(*) AS n FROM attempt WHERE client_answer_id = ?", sent[0]["client_answer_id"]
    )
    assert rows[0]["n"] == 1


def _answer_without_waiting(player: PlayerPage) -> tuple[str, str]:
    """Like PlayerPage.answer, but the verdict is not expected (the request fails)."""
    page = player.page
    _, kind, payload = player.current()
    # answer correctly through the same page object, minus its verdict wait
    from app.services.librelingo.text import first_variant, tiles

    if kind in ("translate", "listen", "fill_blank"):
        page.get_by_test_id("answer-input").fill(first_variant(payload["accepted"][0]))
    elif kind == "multiple_choice":
        page.locator(f'[data-testid="option"][data-index="{payload["correct_index"]}"]').click()
    elif kind == "word_bank":
        for word in tiles(first_variant(payload["accepted"][0])):
            page.locator(f'[data-testid="bank-tile"][data-text="{word}"]:not(.used)').first.click()
    else:
        for pair in payload["pairs"]:
            page.locator(f'[data-testid="match-left"][data-text="{pair["left"]}"]').click()
            page.locator(f'[data-testid="match-right"][data-text="{pair["right"]}"]').click()
    page.get_by_test_id("check").click()
    return kind, "correct"


def test_a_reload_resends_the_pending_answer(
    page: Page, live_server: LiveServer, console: ConsoleWatch
) -> None:
    console.allow("Failed to load resource")
    learner = live_server.register("reload")
    learner.call("POST", "/courses/1/enroll")
    sign_in_with_tokens(page, learner.login(), "#/lesson/1")
    player = PlayerPage(page, live_server)
    player.wait_ready()
    first_id = int(page.get_by_test_id("exercise").get_attribute("data-exercise-id"))
    page.route("**/api/v1/sessions/*/answers", lambda route: route.abort("internetdisconnected"))
    _answer_without_waiting(player)
    expect(page.get_by_test_id("answer-retry")).to_be_visible()
    page.unroute("**/api/v1/sessions/*/answers")
    page.reload()
    # the same session resumes and the kept answer is sent: its verdict is shown
    expect(page.get_by_test_id("verdict")).to_have_attribute("data-correct", "true")
    assert int(page.get_by_test_id("exercise").get_attribute("data-exercise-id")) == first_id
    assert (
        live_server.sql("SELECT count(*) AS n FROM lesson_session WHERE user_id = ?", learner.id)[
            0
        ]["n"]
        == 1
    )


def test_an_expired_sign_in_goes_to_login_and_back(
    page: Page, live_server: LiveServer, console: ConsoleWatch
) -> None:
    console.allow("401")
    learner = live_server.register("expired")
    sign_in_with_tokens(
        page, {"access_token": "not-a-jwt", "refresh_token": "rt_revoked"}, "#/leaderboard"
    )
    expect(page).to_have_url(re.compile(r"#/login\?next=%2Fleaderboard"))
    expect(page.get_by_test_id("expired-notice")).to_be_visible()
    LoginPage(page).sign_in(learner.username)
    expect(page).to_have_url(re.compile(r"#/leaderboard$"))
    expect(page.get_by_test_id("not-joined")).to_be_visible()


def test_concurrent_401s_share_one_refresh(
    page: Page, live_server: LiveServer, console: ConsoleWatch
) -> None:
    console.allow("401")
    learner = live_server.register("refresh")
    tokens = learner.login()
    sign_in_with_tokens(page, tokens, "#/learn")
    expect(page.get_by_test_id("no-courses")).to_be_visible()
    refreshes: list[str] = []
    page.on(
        "request", lambda r: refreshes.append(r.url) if r.url.endswith("/auth/refresh") else None
    )
    result = page.evaluate(
        """async () => {
            const stored = JSON.parse(localStorage.getItem('grader.tokens'));
            const spoilt = {...stored, access_token: 'expired'};
            localStorage.setItem('grader.tokens', JSON.stringify(spoilt));
            const { api } = await import('/js/api.js');
            const replies = await Promise.all([
                api.get('/users/me'), api.get('/users/me/progress'), api.get('/leaderboard'),
                api.get('/users/me/xp-history?days=3'),
            ]);
            const after = JSON.parse(localStorage.getItem('grader.tokens'));
            const rotated = after.refresh_token !== stored.refresh_token;
            return { names: replies[0].username, rotated };
        }"""
    )
    assert result == {"names": learner.username, "rotated": True}
    assert len(refreshes) == 1


def test_out_of_hearts_offers_practice(
    page: Page, live_server: LiveServer, console: ConsoleWatch, shot
) -> None:
    console.allow("409")
    learner = live_server.register("nohearts")
    learner.call("POST", "/courses/1/enroll")
    live_server.sql(
        "UPDATE user SET hearts = 0, hearts_refill_from = datetime('now') WHERE id = ?", learner.id
    )
    sign_in_with_tokens(page, learner.login(), "#/lesson/1")
    screen = page.get_by_test_id("out-of-hearts")
    expect(screen).to_be_visible()
    shot(page, "out-of-hearts")
    screen.get_by_test_id("go-practice").click()
    # nothing learned yet: practice explains itself instead of failing
    expect(page.get_by_test_id("cannot-start")).to_have_attribute(
        "data-code", "nothing_to_practice"
    )
