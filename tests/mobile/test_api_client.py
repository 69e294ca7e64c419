"""The API client: work off the main thread, callbacks on it, tokens kept and refreshed."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest

from mobile.offline import FlushResult, NetworkDown, OfflineStore, Rejected
from tests.mobile.conftest import Server

pytestmark = pytest.mark.mobile


def test_calls_run_on_a_worker_and_call_back_on_the_main_thread(
    launch: Any, server: Server
) -> None:
    driver = launch()
    seen: dict[str, Any] = {}

    def work() -> str:
        seen["worker"] = threading.current_thread()
        return "done"

    def callback(result: str) -> None:
        seen["callback"] = threading.current_thread()
        seen["result"] = result

    driver.app.api.run(work, on_success=callback)
    driver.wait(lambda: "result" in seen)
    assert seen["worker"] is not threading.main_thread()
    assert seen["callback"] is threading.main_thread()

    errors: list[Any] = []
    driver.app.api.call(
        "GET", "/courses/999999", auth=False,
        on_error=lambda e: errors.append((e, threading.current_thread())),
    )  # fmt: skip
    driver.wait(lambda: errors)
    assert errors[0][0].status == 404
    assert errors[0][1] is threading.main_thread()


def test_a_401_refreshes_the_rotating_token_and_retries(launch: Any, server: Server) -> None:
    user = server.register()
    driver = launch()
    api = driver.app.api
    api.run(api.login, user["username"], user["password"]).result(timeout=10)
    stored = json.loads((driver.app.data_dir / "tokens.json").read_text())
    api.tokens.access = "not-a-valid-token"
    me = api.run(api.me).result(timeout=10)
    assert me["username"] == user["username"]
    rotated = json.loads((driver.app.data_dir / "tokens.json").read_text())
    assert rotated["refresh_token"] != stored["refresh_token"]
    # A restarted app signs in from the saved tokens.
    again = launch(data_dir=driver.app.data_dir)
    assert again.app.manager.current == "courses"
    again.wait(lambda: again.app.state.user.get("username") == user["username"])


def test_the_queue_sends_in_order_stops_offline_and_sets_refusals_aside(tmp_path: Path) -> None:
    store = OfflineStore(tmp_path)
    a = store.enqueue_answer(session_id=1, exercise_id=10, answer="uno")
    b = store.enqueue_answer(session_id=1, exercise_id=11, answer=[["a", "b"]])
    store.enqueue_complete(session_id=1)
    store.enqueue_complete(session_id=1)  # once per session
    assert store.pending_counts() == (2, 1)
    assert OfflineStore(tmp_path).pending() == store.pending()  # it is on disk

    def down(op: dict[str, Any]) -> Any:
        raise NetworkDown("no signal")

    assert store.flush(down).offline
    assert len(store.pending()) == 3

    sent: list[str] = []

    def flaky(op: dict[str, Any]) -> Any:
        if op["id"] == b["id"]:
            raise Rejected(409, "exercise_not_pending", "no")
        sent.append(op["id"])
        return {"ok": True}

    result: FlushResult = store.flush(flaky)
    assert sent == [a["id"], "complete-1"]
    assert [op["id"] for op, _ in result.rejected] == [b["id"]]
    assert store.pending() == []
    assert store.rejected()[0]["error"]["code"] == "exercise_not_pending"
    assert not list(tmp_path.glob(".*.tmp"))  # atomic writes leave no temporary files


def test_feedback_escapes_what_the_learner_typed() -> None:
    from mobile.feedback import diff_markup, typed_markup

    diff = [
        {"typed": "[b]el", "expected": "el", "status": "wrong"},
        {"typed": "perro", "expected": "perro", "status": "ok"},
        {"typed": None, "expected": "negro", "status": "missing"},
        {"typed": "nino", "expected": "niño", "status": "accent"},
    ]
    assert "&bl;b&br;el" in diff_markup(diff)
    assert "[b]el" not in diff_markup(diff)
    assert "[u]niño[/u]" in diff_markup(diff)
    assert "[u]nino[/u]" in typed_markup(diff)
