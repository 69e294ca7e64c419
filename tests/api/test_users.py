"""The signed-in user's own profile."""

from __future__ import annotations

import httpx
import pytest

from tests.api.helpers import sign_up


class TestReadMe:
    async def test_each_user_sees_only_themselves(self, client: httpx.AsyncClient) -> None:
        ana = await sign_up(client, "ana")
        bob = await sign_up(client, "bob")
        assert (await client.get("/api/v1/users/me", headers=ana.headers)).json()[
            "username"
        ] == "ana"
        assert (await client.get("/api/v1/users/me", headers=bob.headers)).json()[
            "username"
        ] == "bob"

    async def test_profile_has_the_public_fields_only(self, client: httpx.AsyncClient) -> None:
        ana = await sign_up(client)
        body = (await client.get("/api/v1/users/me", headers=ana.headers)).json()
        assert set(body) == {
            "id", "email", "username", "display_name", "role", "timezone", "daily_goal",
            "created_at",
        }  # fmt: skip
        assert body["created_at"].endswith("Z") or body["created_at"].endswith("+00:00")


class TestUpdateMe:
    async def test_display_name_timezone_and_goal_can_change(
        self, client: httpx.AsyncClient
    ) -> None:
        ana = await sign_up(client)
        reply = await client.patch(
            "/api/v1/users/me",
            json={"display_name": "Ana G.", "timezone": "Europe/Madrid", "daily_goal": 50},
            headers=ana.headers,
        )
        assert reply.status_code == 200
        again = (await client.get("/api/v1/users/me", headers=ana.headers)).json()
        assert (again["display_name"], again["timezone"], again["daily_goal"]) == (
            "Ana G.",
            "Europe/Madrid",
            50,
        )

    async def test_partial_update_leaves_other_fields(self, client: httpx.AsyncClient) -> None:
        ana = await sign_up(client)
        await client.patch("/api/v1/users/me", json={"daily_goal": 30}, headers=ana.headers)
        await client.patch("/api/v1/users/me", json={"display_name": "A"}, headers=ana.headers)
        body = (await client.get("/api/v1/users/me", headers=ana.headers)).json()
        assert body["daily_goal"] == 30
        assert body["display_name"] == "A"

    @pytest.mark.parametrize(
        "changes",
        [
            {"role": "admin"},
            {"xp": 1000},
            {"hearts": 99},
            {"id": 7},
            {"email": "new@example.com"},
            {"password_hash": "x"},
            {"token_version": 3},
        ],
    )
    async def test_fields_not_meant_for_the_user_are_refused(
        self, client: httpx.AsyncClient, changes: dict[str, object]
    ) -> None:
        ana = await sign_up(client)
        reply = await client.patch("/api/v1/users/me", json=changes, headers=ana.headers)
        assert reply.status_code == 422
        body = (await client.get("/api/v1/users/me", headers=ana.headers)).json()
        assert body["role"] == "learner"
        assert body["email"] == "ana@example.com"

    @pytest.mark.parametrize(
        "changes",
        [
            {"timezone": "Mars/Olympus"},
            {"timezone": "../../etc/passwd"},
            {"daily_goal": 25},
            {"daily_goal": "lots"},
            {"display_name": "x" * 65},
        ],
    )
    async def test_invalid_values_are_refused_with_the_field(
        self, client: httpx.AsyncClient, changes: dict[str, object]
    ) -> None:
        ana = await sign_up(client)
        reply = await client.patch("/api/v1/users/me", json=changes, headers=ana.headers)
        assert reply.status_code == 422
        assert reply.json()["error"]["details"][0]["field"].startswith(next(iter(changes)))

    async def test_update_needs_a_signed_in_user(self, client: httpx.AsyncClient) -> None:
        reply = await client.patch("/api/v1/users/me", json={"daily_goal": 10})
        assert reply.status_code == 401
