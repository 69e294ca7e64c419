"""Answering exercises through the UI, the way a learner would."""

from __future__ import annotations

from typing import Any

from tests.mobile.conftest import Driver, Server, _first_reading


def answer_correctly(
    driver: Driver, server: Server, *, typo: bool = False, screenshot: str | None = None
) -> dict[str, Any]:
    """Fill in the current exercise with its right answer by taps and typing; press Check."""
    screen = driver.screen("lesson")
    view = screen.view
    exercise = view.exercise
    payload = server.payload(exercise["id"])
    kind = exercise["type"]
    if kind == "multiple_choice":
        driver.tap(view.option_buttons()[payload["correct_index"]])
    elif kind == "match_pairs":
        for pair in payload["pairs"]:
            driver.tap(view.buttons[("left", pair["left"])])
            driver.tap(view.buttons[("right", pair["right"])])
    elif kind == "word_bank":
        for word in _first_reading(payload["accepted"][0]).split():
            tile = next(b for b in view.bank_buttons() if b.text == word and not b.disabled)
            driver.tap(tile)
    else:
        text = _first_reading(payload["accepted"][0])
        if kind == "listen" and not view.can_speak:
            driver.tap(view.ids.reveal)
        if typo:
            text = text[:-2] + text[-1] + text[-2]  # swap the last two letters
        special = next((c for c in text if c in view.special_characters), None)
        if special is not None:  # type around it, press its button for it
            before, after = text.split(special, 1)
            driver.type_into(view.ids.entry, before)
            driver.tap(next(b for b in view.ids.chars.children if b.text == special))
            view.ids.entry.insert_text(after)
        else:
            driver.type_into(view.ids.entry, text)
    driver.pump(2)
    assert view.ready, f"{kind} not ready to check"
    if screenshot:
        driver.screenshot(screenshot)
    driver.tap(screen.ids.check)
    return exercise
