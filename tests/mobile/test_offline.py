"""Offline: answers queue on disk, sync in order when the server is back, count once."""

from __future__ import annotations

import json
import socket
from typing import Any

import pytest

from tests.mobile.conftest import Server
from tests.mobile.helpers import answer_correctly
from tests.mobile.test_lesson_flow import open_course, sign_in

pytestmark = pytest.mark.mobile


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"  # nothing listens there once the socket is closed


def test_a_lesson_played_offline_syncs_and_counts_once(
    launch: Any, server: Server, course: dict[str, Any], tmp_path: Any
) -> None:
    user = server.register()
    driver = launch()
    app = driver.app
    sign_in(driver, user)
    path = open_course(driver, course["title"])
    driver.wait(lambda: path.lesson_buttons().get(course["lesson_id"])).dispatch("on_release")
    screen = driver.on_screen("lesson")
    session_id = app.state.session["id"]
    assert (app.data_dir / "sessions" / f"{session_id}.json").exists()  # cached on opening

    # The connection drops: every answer is saved, none is judged.
    app.api.base_url = closed_port_url()
    answered = 0
    while screen.mode == "answering":
        answer_correctly(driver, server)
        driver.wait(lambda: screen.mode == "feedback", what="saved feedback")
        assert screen.feedback_title.endswith("Saved[/color]")
        assert "checked when you're online" in screen.feedback_body
        answered += 1
        assert app.state.sync_text == (
            f"{answered} answer{'s' if answered > 1 else ''} waiting to sync"
        )
        if answered == 3:
            driver.screenshot("offline-saved")
        driver.tap(screen.ids.check)
        driver.wait(lambda: screen.mode in ("answering", "idle", "finishing"))
    assert answered == 6
    driver.on_screen("complete")
    assert app.state.completion.get("pending")
    assert not app.state.online
    assert app.state.sync_text == "6 answers and 1 lesson to finish waiting to sync"
    driver.screenshot("offline-complete")

    queued = json.loads((app.data_dir / "queue.json").read_text())
    assert [op["op"] for op in queued] == ["answer"] * 6 + ["complete"]
    assert len({op["client_answer_id"] for op in queued[:6]}) == 6
    assert server.progress(user)["xp_total"] == 0  # nothing reached the server

    # The app restarts (its memory is gone, the disk is not) and the server is back.
    data_dir = app.data_dir
    restarted = launch(data_dir=data_dir)
    assert restarted.app.state.pending_answers == 6
    restarted.app.sync_now()
    restarted.wait(lambda: not restarted.app.store.pending(), what="queue to drain")
    restarted.wait(lambda: restarted.app.state.completion.get("xp"), what="completion")
    assert restarted.app.state.completion["xp"]["total"] == 16
    assert restarted.app.state.sync_text == ""
    assert server.progress(user)["xp_total"] == 16

    # Replaying the whole queue (as after a crash before the file was rewritten) changes nothing.
    for _ in range(2):
        (data_dir / "queue.json").write_text(json.dumps(queued))
        replay = launch(data_dir=data_dir)  # syncs on start
        assert replay.app.state.pending_answers == 6
        replay.wait(lambda replay=replay: not replay.app.store.pending(), what="replay")
        replay.wait(lambda replay=replay: replay.app.state.completion.get("xp"))
        assert replay.app.store.rejected() == []  # every reply was the first one again
        assert replay.app.state.last_reply["correct"]
        assert replay.app.state.completion["xp"]["total"] == 16
        assert server.progress(user)["xp_total"] == 16


def test_opening_an_unseen_lesson_offline_says_so(launch: Any, server: Server) -> None:
    user = server.register()
    driver = launch()
    sign_in(driver, user)
    driver.app.api.base_url = closed_port_url()
    driver.app.open_lesson(1)
    driver.wait(lambda: "hasn't been opened" in driver.app.state.message)
    assert not driver.app.state.online
