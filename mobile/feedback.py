"""Verdicts as Kivy markup: typed words highlighted, learner text always escaped."""

from __future__ import annotations

from typing import Any

from kivy.utils import escape_markup

GREEN, AMBER, RED = "58c24a", "f2b233", "ff6b5e"


def _e(text: Any) -> str:
    return escape_markup(str(text))


def diff_markup(diff: list[dict[str, Any]]) -> str:
    """One marked-up word per diff token (``ok accent typo wrong missing extra``)."""
    words = []
    for token in diff:
        typed, expected, status = token.get("typed"), token.get("expected"), token["status"]
        if status == "ok":
            words.append(_e(typed if typed is not None else expected))
        elif status in ("accent", "typo"):
            words.append(f"[color={AMBER}][u]{_e(expected)}[/u][/color]")
        elif status == "wrong":
            words.append(
                f"[color={RED}][s]{_e(typed)}[/s][/color] [color={GREEN}]{_e(expected)}[/color]"
            )
        elif status == "missing":
            words.append(f"[color={GREEN}][u]{_e(expected)}[/u][/color]")
        elif status == "extra":
            words.append(f"[color={RED}][s]{_e(typed)}[/s][/color]")
    return " ".join(words)


def typed_markup(diff: list[dict[str, Any]]) -> str:
    """What the learner typed, the slips marked."""
    words = []
    for token in diff:
        typed, status = token.get("typed"), token["status"]
        if typed is None:
            continue
        colour = {"ok": None, "accent": AMBER, "typo": AMBER}.get(status, RED)
        words.append(f"[color={colour}][u]{_e(typed)}[/u][/color]" if colour else _e(typed))
    return " ".join(words)


def reply_markup(reply: dict[str, Any], exercise: dict[str, Any]) -> tuple[str, str]:
    """(title, body) for the feedback panel of an AnswerReply."""
    verdict, solution = reply["verdict"], reply.get("solution") or {}
    kind = verdict.get("kind")
    diff = verdict.get("diff") or []
    if reply["correct"]:
        if kind == "accent":
            title = f"[color={GREEN}]Correct![/color] Mind the accents:"
        elif kind == "typo":
            title = f"[color={GREEN}]Correct![/color] You have a typo:"
        else:
            return f"[color={GREEN}]Correct![/color]", ""
        return title, f"You wrote: {typed_markup(diff)}\nCorrect: {diff_markup(diff)}"
    title = f"[color={RED}]Not quite.[/color]"
    payload = exercise.get("payload", {})
    if solution.get("option_index") is not None and payload.get("options"):
        right = payload["options"][solution["option_index"]]["text"]
        return title, f"Correct answer: [color={GREEN}]{_e(right)}[/color]"
    if solution.get("pairs"):
        pairs = ", ".join(f"{_e(a)} = {_e(b)}" for a, b in solution["pairs"])
        return title, f"Pairs: [color={GREEN}]{pairs}[/color]"
    right = solution.get("text") or verdict.get("closest", "")
    body = f"Correct answer: [color={GREEN}]{_e(right)}[/color]"
    if diff and any(token.get("typed") for token in diff):
        body += f"\n{diff_markup(diff)}"
    return title, body
