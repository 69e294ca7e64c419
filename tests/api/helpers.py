"""Small helpers for API tests: sign up and sign in the way a client does."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

DEFAULT_PASSWORD = "correct horse battery staple"


@dataclass
class SignedIn:
    user_id: int
    username: str
    access_token: str
    refresh_token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}


async def register(
    client: httpx.AsyncClient, username: str, *, password: str = DEFAULT_PASSWORD
) -> httpx.Response:
    return await client.post(
        "/api/v1/auth/register",
        json={"email": f"{username}@example.com", "username": username, "password": password},
    )


async def sign_up(
    client: httpx.AsyncClient, username: str = "ana", *, password: str = DEFAULT_PASSWORD
) -> SignedIn:
    created = await register(client, username, password=password)
    assert created.status_code == 201, created.text
    reply = await client.post("/api/v1/auth/login", json={"login": username, "password": password})
    assert reply.status_code == 200, reply.text
    tokens = reply.json()
    return SignedIn(
        user_id=created.json()["id"],
        username=username,
        access_token=tokens["access_token"],
        refresh_token=tokens["refresh_token"],
    )
