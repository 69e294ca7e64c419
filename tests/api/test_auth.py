"""Registration, sign-in, refresh-token rotation and logout through the HTTP API."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

import httpx
import jwt
import pytest

from tests.api.helpers import DEFAULT_PASSWORD, register, sign_up
from tests.conftest import TEST_SECRET_KEY, FrozenClock


def _error(reply: httpx.Response) -> dict[str, object]:
    body = reply.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "details"}
    return dict(body["error"])


class TestRegister:
    async def test_new_account_is_a_learner_with_defaults(self, client: httpx.AsyncClient) -> None:
        reply = await register(client, "ana")
        assert reply.status_code == 201
        body = reply.json()
        assert body["username"] == "ana"
        assert body["email"] == "ana@example.com"
        assert body["role"] == "learner"
        assert body["daily_goal"] == 20
        assert "password" not in reply.text
        assert "hash" not in reply.text

    async def test_email_is_stored_lower_case(self, client: httpx.AsyncClient) -> None:
        reply = await client.post(
            "/api/v1/auth/register",
            json={"email": "Ana@Example.COM", "username": "ana", "password": DEFAULT_PASSWORD},
        )
        assert reply.json()["email"] == "ana@example.com"

    async def test_duplicate_email_is_a_conflict(self, client: httpx.AsyncClient) -> None:
        await register(client, "ana")
        reply = await client.post(
            "/api/v1/auth/register",
            json={"email": "ANA@example.com", "username": "other", "password": DEFAULT_PASSWORD},
        )
        assert reply.status_code == 409
        error = _error(reply)
        assert error["code"] == "account_exists"
        assert error["details"] == {"fields": ["email"]}

    async def test_duplicate_username_in_other_case_is_a_conflict(
        self, client: httpx.AsyncClient
    ) -> None:
        await register(client, "ana")
        reply = await client.post(
            "/api/v1/auth/register",
            json={"email": "x@example.com", "username": "ANA", "password": DEFAULT_PASSWORD},
        )
        assert reply.status_code == 409
        assert _error(reply)["details"] == {"fields": ["username"]}

    @pytest.mark.parametrize(
        ("password", "rule"),
        [
            ("short1!", "at least 10 characters"),
            ("aaaaaaaaaaaa", "4 different characters"),
            ("password123", "most common passwords"),
            ("ana-is-my-name", "must not contain your username"),
            ("x" * 100 + "abcdefghij" * 3, "at most 128 characters"),
        ],
    )
    async def test_weak_password_is_rejected_with_the_rule(
        self, client: httpx.AsyncClient, password: str, rule: str
    ) -> None:
        reply = await register(client, "ana", password=password)
        assert reply.status_code == 422
        error = _error(reply)
        assert error["code"] == "validation_error"
        assert rule in str(error["message"])
        assert error["details"][0]["field"] == "password"  # type: ignore[index]

    @pytest.mark.parametrize("email", ["not-an-email", "a@", "@b.co", "a b@c.de", ""])
    async def test_malformed_email_is_rejected(self, client: httpx.AsyncClient, email: str) -> None:
        reply = await client.post(
            "/api/v1/auth/register",
            json={"email": email, "username": "ana", "password": DEFAULT_PASSWORD},
        )
        assert reply.status_code == 422
        assert _error(reply)["details"][0]["field"] == "email"  # type: ignore[index]

    @pytest.mark.parametrize("username", ["ab", "has space", "semi;colon", "x" * 33])
    async def test_malformed_username_is_rejected(
        self, client: httpx.AsyncClient, username: str
    ) -> None:
        reply = await client.post(
            "/api/v1/auth/register",
            json={"email": "a@example.com", "username": username, "password": DEFAULT_PASSWORD},
        )
        assert reply.status_code == 422

    async def test_unknown_fields_are_rejected(self, client: httpx.AsyncClient) -> None:
        reply = await client.post(
            "/api/v1/auth/register",
            json={
                "email": "a@example.com",
                "username": "ana",
                "password": DEFAULT_PASSWORD,
                "role": "admin",
            },
        )
        assert reply.status_code == 422
        assert _error(reply)["details"][0]["field"] == "role"  # type: ignore[index]

    async def test_body_that_is_not_json_is_a_validation_error(
        self, client: httpx.AsyncClient
    ) -> None:
        reply = await client.post(
            "/api/v1/auth/register",
            content=b"{not json",
            headers={"Content-Type": "application/json"},
        )
        assert reply.status_code == 422
        assert _error(reply)["code"] == "validation_error"

    async def test_oversized_body_is_refused_before_parsing(
        self, client: httpx.AsyncClient
    ) -> None:
        reply = await client.post(
            "/api/v1/auth/register",
            content=b'{"email": "' + b"a" * 2_000_000 + b'"}',
            headers={"Content-Type": "application/json"},
        )
        assert reply.status_code == 413
        assert _error(reply)["code"] == "payload_too_large"

    async def test_oversized_streamed_body_without_length_is_refused(
        self, client: httpx.AsyncClient
    ) -> None:
        async def chunks():  # type: ignore[no-untyped-def]
            for _ in range(30):
                yield b"x" * 100_000

        reply = await client.post(
            "/api/v1/auth/register",
            content=chunks(),
            headers={"Content-Type": "application/json"},
        )
        assert reply.status_code == 413


class TestLogin:
    async def test_json_login_returns_a_token_pair(self, client: httpx.AsyncClient) -> None:
        await register(client, "ana")
        reply = await client.post(
            "/api/v1/auth/login", json={"login": "ana@example.com", "password": DEFAULT_PASSWORD}
        )
        assert reply.status_code == 200
        body = reply.json()
        assert body["token_type"] == "bearer"
        assert body["expires_in"] == 15 * 60
        assert body["refresh_token"].startswith("rt_")
        me = await client.get(
            "/api/v1/users/me", headers={"Authorization": f"Bearer {body['access_token']}"}
        )
        assert me.json()["username"] == "ana"

    async def test_oauth2_password_form_works_for_the_docs_authorize_button(
        self, client: httpx.AsyncClient
    ) -> None:
        await register(client, "ana")
        reply = await client.post(
            "/api/v1/auth/token", data={"username": "ANA", "password": DEFAULT_PASSWORD}
        )
        assert reply.status_code == 200
        assert reply.json()["access_token"]

    async def test_unknown_account_and_wrong_password_get_the_same_answer(
        self, client: httpx.AsyncClient
    ) -> None:
        await register(client, "ana")
        wrong_password = await client.post(
            "/api/v1/auth/login", json={"login": "ana", "password": "not the password"}
        )
        unknown = await client.post(
            "/api/v1/auth/login", json={"login": "nobody", "password": "not the password"}
        )
        assert wrong_password.status_code == unknown.status_code == 401
        assert wrong_password.json() == unknown.json()
        assert wrong_password.headers["www-authenticate"] == "Bearer"

    async def test_failures_per_account_are_rate_limited(self, client: httpx.AsyncClient) -> None:
        await register(client, "ana")
        statuses = [
            (
                await client.post(
                    "/api/v1/auth/login", json={"login": "ana", "password": f"wrong-{i}"}
                )
            ).status_code
            for i in range(11)
        ]
        assert statuses == [401] * 10 + [429]
        # Locked even with the right password until the window passes.
        locked = await client.post(
            "/api/v1/auth/login", json={"login": "ana", "password": DEFAULT_PASSWORD}
        )
        assert locked.status_code == 429
        assert int(locked.headers["retry-after"]) > 0
        assert _error(locked)["code"] == "rate_limited"

    async def test_attempts_per_client_address_are_rate_limited(
        self, client: httpx.AsyncClient
    ) -> None:
        replies = [
            await client.post(
                "/api/v1/auth/login", json={"login": f"user{i}", "password": "whatever-it-is"}
            )
            for i in range(31)
        ]
        assert [r.status_code for r in replies[:30]] == [401] * 30
        assert replies[30].status_code == 429
        assert "retry-after" in replies[30].headers

    async def test_successful_login_clears_the_account_failures(
        self, client: httpx.AsyncClient
    ) -> None:
        await register(client, "ana")
        for i in range(9):
            await client.post("/api/v1/auth/login", json={"login": "ana", "password": f"bad-{i}"})
        ok = await client.post(
            "/api/v1/auth/login", json={"login": "ana", "password": DEFAULT_PASSWORD}
        )
        assert ok.status_code == 200
        for i in range(9):
            reply = await client.post(
                "/api/v1/auth/login", json={"login": "ana", "password": f"bad-again-{i}"}
            )
            assert reply.status_code == 401


class TestAccessTokens:
    async def test_missing_token_is_unauthorised(self, client: httpx.AsyncClient) -> None:
        reply = await client.get("/api/v1/users/me")
        assert reply.status_code == 401
        assert _error(reply)["code"] == "invalid_token"

    async def test_expired_token_is_refused(
        self, client: httpx.AsyncClient, clock: FrozenClock
    ) -> None:
        ana = await sign_up(client)
        clock.advance(minutes=16)
        reply = await client.get("/api/v1/users/me", headers=ana.headers)
        assert reply.status_code == 401

    async def test_token_signed_with_another_key_is_refused(
        self, client: httpx.AsyncClient, clock: FrozenClock
    ) -> None:
        ana = await sign_up(client)
        forged = jwt.encode(
            {"sub": str(ana.user_id), "typ": "access", "ver": 0, "exp": _in(clock, minutes=5)},
            "another-key-that-is-long-enough-for-hs256!",
            algorithm="HS256",
        )
        reply = await client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {forged}"})
        assert reply.status_code == 401

    async def test_alg_none_token_is_refused(
        self, client: httpx.AsyncClient, clock: FrozenClock
    ) -> None:
        ana = await sign_up(client)
        header = _b64({"alg": "none", "typ": "JWT"})
        payload = _b64(
            {"sub": str(ana.user_id), "typ": "access", "ver": 0, "exp": _in(clock, minutes=5)}
        )
        reply = await client.get(
            "/api/v1/users/me", headers={"Authorization": f"Bearer {header}.{payload}."}
        )
        assert reply.status_code == 401

    async def test_tampered_subject_is_refused(self, client: httpx.AsyncClient) -> None:
        ana = await sign_up(client, "ana")
        bob = await sign_up(client, "bob")
        header, payload, signature = ana.access_token.split(".")
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        claims["sub"] = str(bob.user_id)
        tampered = f"{header}.{_b64(claims)}.{signature}"
        reply = await client.get(
            "/api/v1/users/me", headers={"Authorization": f"Bearer {tampered}"}
        )
        assert reply.status_code == 401

    @pytest.mark.parametrize("subject", [None, "", "abc", "-1", "1.5", "١"])
    async def test_missing_or_malformed_subject_is_refused(
        self, client: httpx.AsyncClient, clock: FrozenClock, subject: str | None
    ) -> None:
        await sign_up(client)
        claims: dict[str, object] = {"typ": "access", "ver": 0, "exp": _in(clock, minutes=5)}
        if subject is not None:
            claims["sub"] = subject
        token = jwt.encode(claims, TEST_SECRET_KEY, algorithm="HS256")
        reply = await client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {token}"})
        assert reply.status_code == 401

    async def test_valid_signature_for_a_deleted_or_unknown_user_is_refused(
        self, client: httpx.AsyncClient, clock: FrozenClock
    ) -> None:
        token = jwt.encode(
            {"sub": "999", "typ": "access", "ver": 0, "exp": _in(clock, minutes=5)},
            TEST_SECRET_KEY,
            algorithm="HS256",
        )
        reply = await client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {token}"})
        assert reply.status_code == 401

    async def test_refresh_token_is_not_an_access_token(self, client: httpx.AsyncClient) -> None:
        ana = await sign_up(client)
        reply = await client.get(
            "/api/v1/users/me", headers={"Authorization": f"Bearer {ana.refresh_token}"}
        )
        assert reply.status_code == 401

    async def test_token_of_another_type_is_refused(
        self, client: httpx.AsyncClient, clock: FrozenClock
    ) -> None:
        ana = await sign_up(client)
        token = jwt.encode(
            {"sub": str(ana.user_id), "typ": "refresh", "ver": 0, "exp": _in(clock, minutes=5)},
            TEST_SECRET_KEY,
            algorithm="HS256",
        )
        reply = await client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {token}"})
        assert reply.status_code == 401


class TestRefresh:
    async def test_refresh_rotates_the_pair(self, client: httpx.AsyncClient) -> None:
        ana = await sign_up(client)
        reply = await client.post("/api/v1/auth/refresh", json={"refresh_token": ana.refresh_token})
        assert reply.status_code == 200
        pair = reply.json()
        assert pair["refresh_token"] != ana.refresh_token
        me = await client.get(
            "/api/v1/users/me", headers={"Authorization": f"Bearer {pair['access_token']}"}
        )
        assert me.status_code == 200

    async def test_reused_refresh_token_revokes_the_whole_family(
        self, client: httpx.AsyncClient
    ) -> None:
        ana = await sign_up(client)
        first = await client.post("/api/v1/auth/refresh", json={"refresh_token": ana.refresh_token})
        newest = first.json()["refresh_token"]
        replay = await client.post(
            "/api/v1/auth/refresh", json={"refresh_token": ana.refresh_token}
        )
        assert replay.status_code == 401
        assert "already used" in str(_error(replay)["message"])
        # The thief's replay also ended the legitimate newest token.
        after = await client.post("/api/v1/auth/refresh", json={"refresh_token": newest})
        assert after.status_code == 401

    async def test_reuse_does_not_end_other_sign_ins(self, client: httpx.AsyncClient) -> None:
        ana = await sign_up(client)
        other_device = await client.post(
            "/api/v1/auth/login", json={"login": "ana", "password": DEFAULT_PASSWORD}
        )
        await client.post("/api/v1/auth/refresh", json={"refresh_token": ana.refresh_token})
        await client.post("/api/v1/auth/refresh", json={"refresh_token": ana.refresh_token})
        still_fine = await client.post(
            "/api/v1/auth/refresh", json={"refresh_token": other_device.json()["refresh_token"]}
        )
        assert still_fine.status_code == 200

    async def test_expired_refresh_token_is_refused(
        self, client: httpx.AsyncClient, clock: FrozenClock
    ) -> None:
        ana = await sign_up(client)
        clock.advance(days=31)
        reply = await client.post("/api/v1/auth/refresh", json={"refresh_token": ana.refresh_token})
        assert reply.status_code == 401
        assert _error(reply)["code"] == "invalid_refresh_token"

    @pytest.mark.parametrize("token", ["rt_unknown", "garbage"])
    async def test_unknown_refresh_token_is_refused(
        self, client: httpx.AsyncClient, token: str
    ) -> None:
        reply = await client.post("/api/v1/auth/refresh", json={"refresh_token": token})
        assert reply.status_code == 401

    async def test_access_token_is_not_a_refresh_token(self, client: httpx.AsyncClient) -> None:
        ana = await sign_up(client)
        reply = await client.post("/api/v1/auth/refresh", json={"refresh_token": ana.access_token})
        assert reply.status_code in {401, 422}
        assert "error" in reply.json()


class TestLogout:
    async def test_logout_ends_the_refresh_family(self, client: httpx.AsyncClient) -> None:
        ana = await sign_up(client)
        rotated = await client.post(
            "/api/v1/auth/refresh", json={"refresh_token": ana.refresh_token}
        )
        newest = rotated.json()["refresh_token"]
        reply = await client.post("/api/v1/auth/logout", json={"refresh_token": newest})
        assert reply.status_code == 204
        after = await client.post("/api/v1/auth/refresh", json={"refresh_token": newest})
        assert after.status_code == 401

    async def test_logout_with_unknown_token_reveals_nothing(
        self, client: httpx.AsyncClient
    ) -> None:
        reply = await client.post("/api/v1/auth/logout", json={"refresh_token": "rt_nothing"})
        assert reply.status_code == 204


def _in(clock: FrozenClock, **delta: float) -> int:
    return int((clock.now() + timedelta(**delta)).timestamp())


def _b64(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()
