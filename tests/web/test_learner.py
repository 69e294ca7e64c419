"""The learner's journey: sign up, enrol, play a whole lesson, completion, profile."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.web.conftest import LiveServer
from tests.web.pages import LoginPage, PlayerPage, SignupPage, sign_in_with_tokens

pytestmark = pytest.mark.web


def test_sign_up_enrol_play_a_lesson_and_see_it_on_the_profile(
    page: Page, live_server: LiveServer, shot
) -> None:
    name = f"ana{uuid.uuid4().hex[:6]}"
    signup = SignupPage(page).open()
    shot(page, "signup")
    signup.sign_up(name, f"{name}@example.com")

    # the catalogue, then enrol in the demo course
    expect(page).to_have_url(re.compile("#/courses"))
    card = page.locator('[data-testid="course-card"][data-slug="spanish-from-english"]')
    expect(card).to_be_visible()
    shot(page, "catalogue")
    card.get_by_test_id("enroll").click()

    # the path: the first lesson is open, the others locked
    expect(page).to_have_url(re.compile(r"#/course/\d+"))
    lessons = page.get_by_test_id("lesson")
    expect(lessons.first).to_have_attribute("data-state", "available")
    expect(lessons.nth(1)).to_have_attribute("data-state", "locked")
    shot(page, "path")
    page.get_by_test_id("start-lesson").click()

    player = PlayerPage(page, live_server)
    player.wait_ready()
    expect(page.get_by_test_id("hearts")).to_have_attribute("data-hearts", "5")
    modes_left = ["typo", "wrong"]  # one typo and one wrong answer, the rest right
    seen = {"typo": False, "wrong": False}
    screenshots = set()
    answered = 0
    while not player.done():
        mode = "correct"
        _, kind, _ = player.current()
        if modes_left and (
            modes_left[0] == "wrong" or kind in ("translate", "listen", "fill_blank")
        ):
            mode = modes_left[0]
        if kind not in screenshots:
            shot(page, f"player-{kind}")
        kind, used = player.answer(mode)
        verdict = player.verdict()
        expect(verdict).to_have_attribute("data-correct", "false" if used == "wrong" else "true")
        if used == "typo":
            expect(verdict).to_have_attribute("data-kind", "typo")
            expect(page.locator('[data-testid="diff-token"][data-status="typo"]')).to_have_count(1)
            expect(page.get_by_test_id("solution")).not_to_be_empty()
            shot(page, "feedback-typo")
        if used == "wrong":
            expect(page.get_by_test_id("will-repeat")).to_be_visible()
            expect(page.get_by_test_id("hearts")).to_have_attribute("data-hearts", "4")
            shot(page, "feedback-wrong")
        if used != "correct":
            seen[used] = True
            modes_left.remove(used) if used in modes_left else None
        elif mode == "typo":  # the sentence was too short for a slip: try the next one
            pass
        screenshots.add(kind)
        answered += 1
        assert answered < 40, "the lesson never ended"
        player.next()
        player.wait_ready()

    assert seen == {"typo": True, "wrong": True}
    complete = page.get_by_test_id("complete")
    expect(complete).to_be_visible()
    xp = int(complete.get_attribute("data-xp"))
    expect(page.get_by_test_id("xp-base")).to_contain_text("+10 XP")
    expect(page.get_by_test_id("xp-perfect")).to_have_count(0)  # there were mistakes
    assert 10 <= xp <= 15
    expect(page.get_by_test_id("streak")).to_contain_text("1 day")
    shot(page, "complete")

    # the server agrees
    rows = live_server.sql(
        "SELECT sum(amount) AS xp FROM xp_event JOIN user ON user.id = xp_event.user_id "
        "WHERE user.username = ?",
        name,
    )
    assert rows[0]["xp"] == xp

    # continue → the path, with the lesson completed and the next one open
    page.get_by_test_id("check").click()
    expect(page.get_by_test_id("lesson").first).to_have_attribute("data-state", "completed")
    expect(page.get_by_test_id("lesson").nth(1)).to_have_attribute("data-state", "available")

    # the profile shows the XP, the streak, the goal ring and the chart
    page.get_by_test_id("nav-profile").click()
    expect(page.get_by_test_id("profile-xp")).to_have_attribute("data-xp", str(xp))
    expect(page.get_by_test_id("profile-streak")).to_have_attribute("data-length", "1")
    expect(page.get_by_test_id("xp-chart")).to_have_attribute("data-total", str(xp))
    expect(page.locator(f'.xp-chart rect[data-xp="{xp}"]')).to_have_count(1)
    expect(page.get_by_test_id("goal-ring")).to_be_visible()
    shot(page, "profile", full_page=True)

    # settings: the daily goal and display name are saved
    page.get_by_test_id("daily-goal").select_option("30")
    page.get_by_test_id("display-name").fill("Ana Tester")
    page.get_by_test_id("save-settings").click()
    expect(page.locator("h1")).to_have_text("Ana Tester")
    expect(page.get_by_test_id("goal-ring")).to_contain_text("of 30 XP")

    # the leaderboard now has this learner in it
    page.get_by_test_id("nav-leaderboard").click()
    me = page.locator('[data-testid="standing"][data-you="true"]')
    expect(me).to_contain_text(f"{xp} XP")
    expect(me).to_have_attribute(
        "data-zone", re.compile("promote|stay")
    )  # other tests' learners share the league
    shot(page, "leaderboard")

    # signing out and back in lands on the home page
    page.get_by_test_id("signout").click()
    expect(page).to_have_url(re.compile("#/login"))
    LoginPage(page).sign_in(name)
    expect(page.get_by_test_id("learning-course")).to_be_visible()
    shot(page, "learn")


def test_a_lesson_with_the_keyboard_only(page: Page, live_server: LiveServer, shot) -> None:
    learner = live_server.register("keys")
    learner.call("POST", "/courses/1/enroll")
    sign_in_with_tokens(page, learner.login(), "#/lesson/1")
    player = PlayerPage(page, live_server)
    kb = page.keyboard
    steps = 0
    while True:
        player.wait_ready()
        if player.done():
            break
        _, kind, payload = player.current()
        if kind in ("translate", "listen", "fill_blank"):
            # the answer box has the focus already
            expect(page.get_by_test_id("answer-input")).to_be_focused()
            from app.services.librelingo.text import first_variant

            kb.insert_text(first_variant(payload["accepted"][0]))
        elif kind == "multiple_choice":
            kb.press(str(payload["correct_index"] + 1))
        elif kind == "word_bank":
            from app.services.librelingo.text import first_variant, tiles

            bank = payload_tiles = page.get_by_test_id("bank-tile").evaluate_all(
                "els => els.map(e => e.dataset.text)"
            )
            used: set[int] = set()
            for word in tiles(first_variant(payload["accepted"][0])):
                index = next(i for i, t in enumerate(bank) if t == word and i not in used)
                used.add(index)
                if index < 9:
                    kb.press(str(index + 1))
                else:  # past 9 tiles: Tab to the tile and press Space
                    page.locator(f'[data-testid="bank-tile"][data-index="{index}"]').focus()
                    kb.press("Space")
            del payload_tiles
        elif kind == "match_pairs":
            left = page.get_by_test_id("match-left").evaluate_all(
                "els => els.map(e => e.dataset.text)"
            )
            right = page.get_by_test_id("match-right").evaluate_all(
                "els => els.map(e => e.dataset.text)"
            )
            for pair in payload["pairs"]:
                kb.press(str(left.index(pair["left"]) + 1))
                kb.press(str((len(left) + right.index(pair["right"]) + 1) % 10))
        kb.press("Enter")  # check
        expect(page.get_by_test_id("verdict")).to_have_attribute("data-correct", "true")
        expect(page.get_by_test_id("check")).to_be_focused()
        if steps == 0:
            shot(page, "keyboard-feedback")
        kb.press("Enter")  # continue
        steps += 1
        assert steps < 30
    complete = page.get_by_test_id("complete")
    expect(complete).to_be_visible()
    # a perfect lesson: base + no-mistakes bonus (+ combo)
    expect(page.get_by_test_id("xp-perfect")).to_contain_text("+5 XP")
    assert int(complete.get_attribute("data-xp")) >= 15
    kb.press("Enter")
    expect(page).to_have_url(re.compile(r"#/course/1"))
