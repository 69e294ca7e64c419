"""Authors: build a course a learner then plays, import a zip, preview grading."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from app.core.config import PROJECT_ROOT
from tests.web.conftest import ConsoleWatch, LiveServer
from tests.web.pages import LoginPage, sign_in_with_tokens

pytestmark = pytest.mark.web

DEMO = PROJECT_ROOT / "app" / "data" / "courses" / "spanish-from-english"


def test_author_builds_a_course_and_a_learner_plays_it(
    page: Page, browser, live_server: LiveServer, console: ConsoleWatch, shot
) -> None:
    author = live_server.register("author", role="author")
    LoginPage(page).open().sign_in(author.username)
    page.get_by_test_id("nav-author").click()
    expect(page.get_by_test_id("no-author-courses")).to_be_visible()

    # a bad slug: the server's 422 names the field, shown next to it
    console.allow("422")
    form = page.get_by_test_id("new-course-form")
    for name, value in {
        "title": "Italian for Testers",
        "slug": "Bad Slug!",
        "target_language": "it",
        "target_language_name": "Italian",
        "source_language": "en",
        "source_language_name": "English",
        "special_characters": "à è ì ò ù",
    }.items():
        form.locator(f'[name="{name}"]').fill(value)
    form.get_by_test_id("create-course").click()
    expect(form.get_by_test_id("form-error")).to_contain_text("slug")
    expect(form.locator('[name="slug"]')).to_have_attribute("aria-invalid", "true")
    form.locator('[name="slug"]').fill("italian-for-testers")
    form.get_by_test_id("create-course").click()

    # the course editor: a unit, a lesson
    expect(page).to_have_url(re.compile(r"#/author/course/\d+"))
    course_id = int(page.url.rsplit("/", 1)[1])
    page.get_by_test_id("new-unit-title").fill("Basics")
    page.get_by_test_id("add-unit").click()
    page.get_by_test_id("new-lesson-title").fill("Greetings")
    page.get_by_test_id("add-lesson").click()
    page.get_by_test_id("edit-lesson").click()

    # an exercise: first a payload the server refuses, then a good one
    expect(page).to_have_url(re.compile(r"#/author/lesson/\d+"))
    new = page.get_by_test_id("new-exercise-form")
    new.get_by_test_id("new-exercise-type").select_option("translate")
    payload = new.get_by_test_id("new-exercise-payload")
    payload.fill(
        '{"type": "translate", "prompt": "good morning", "prompt_language": "en", '
        '"answer_language": "it", "accepted": ["[buon/buongiorno"]}'
    )
    new.get_by_test_id("add-exercise").click()
    expect(new.get_by_test_id("form-error")).to_contain_text("payload.accepted.0")
    payload.fill(
        '{"type": "translate", "prompt": "good morning", "prompt_language": "en", '
        '"answer_language": "it", "accepted": ["buongiorno", "buon giorno"]}'
    )
    new.get_by_test_id("add-exercise").click()
    expect(page.get_by_test_id("exercise-edit")).to_have_count(1)

    # grading preview
    preview = page.get_by_test_id("preview-form")
    preview.get_by_test_id("preview-accepted").fill("I [am/'m] a [boy/child]")
    preview.get_by_test_id("preview-answer").fill("im a chlid")
    preview.locator('[name="language"]').fill("en")
    preview.get_by_test_id("preview-submit").click()
    expect(page.get_by_test_id("preview-kind")).to_have_attribute("data-kind", "typo")
    expect(page.locator('[data-testid="preview-result"] [data-status="typo"]')).to_have_count(2)
    shot(page, "author-lesson", full_page=True)

    # publish
    page.goto(f"/#/author/course/{course_id}")
    page.get_by_test_id("published").check()
    page.get_by_test_id("save-course").click()
    expect(page.get_by_test_id("course-saved")).to_have_text("Saved.")
    shot(page, "author-course")

    # a learner finds it, enrols and plays it, with the course's special keys
    learner = live_server.register("learner")
    other = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 800})
    try:
        lp = other.new_page()
        lp.on("console", lambda m: console.errors.append(m.text) if m.type == "error" else None)
        sign_in_with_tokens(lp, learner.login(), "#/courses")
        card = lp.locator('[data-testid="course-card"][data-slug="italian-for-testers"]')
        card.get_by_test_id("enroll").click()
        lp.get_by_test_id("start-lesson").click()
        expect(lp.get_by_test_id("prompt")).to_have_text("good morning")
        expect(lp.get_by_test_id("special-key")).to_have_count(5)
        lp.get_by_test_id("answer-input").fill("buon giorn")
        lp.locator('[data-testid="special-key"][data-char="ò"]').click()
        expect(lp.get_by_test_id("answer-input")).to_have_value("buon giornò")
        lp.get_by_test_id("check").click()
        verdict = lp.get_by_test_id("verdict")
        expect(verdict).to_have_attribute("data-kind", "accent")
        expect(lp.locator('[data-testid="diff-token"][data-status="accent"]')).to_have_count(1)
        lp.get_by_test_id("check").click()
        expect(lp.get_by_test_id("complete")).to_have_attribute("data-xp", "15")
    finally:
        other.close()


def _course_zip(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, f"{folder.name}/{path.relative_to(folder)}")
    return buffer.getvalue()


def test_import_a_course_zip(page: Page, live_server: LiveServer, tmp_path: Path, shot) -> None:
    author = live_server.register("importer", role="author")
    zip_path = tmp_path / "course.zip"
    zip_path.write_bytes(_course_zip(DEMO))
    sign_in_with_tokens(page, author.login(), "#/author")
    form = page.get_by_test_id("import-form")
    form.get_by_test_id("import-file").set_input_files(str(zip_path))
    form.get_by_test_id("import-slug").fill("spanish-copy")
    form.get_by_test_id("import-submit").click()
    result = page.get_by_test_id("import-result")
    expect(result).to_contain_text("Spanish from English", timeout=30_000)
    expect(result).to_contain_text("13 lessons")
    expect(page.locator('[data-testid="author-course"][data-slug="spanish-copy"]')).to_have_count(1)
    shot(page, "author-import")
    rows = live_server.sql("SELECT published, owner_id FROM course WHERE slug = 'spanish-copy'")
    assert rows
    assert rows[0]["owner_id"] == author.id
    assert not rows[0]["published"]
    page.get_by_test_id("imported-link").click()
    expect(page.get_by_test_id("unit-edit")).to_have_count(3)


def test_learners_do_not_get_the_author_views(page: Page, live_server: LiveServer) -> None:
    learner = live_server.register("plain")
    sign_in_with_tokens(page, learner.login(), "#/author")
    expect(page.locator("h1")).to_have_text("Authors only")
    expect(page.get_by_test_id("nav-author")).to_have_count(0)
