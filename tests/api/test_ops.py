"""Liveness, readiness and the error shape of unknown routes."""

from __future__ import annotations

import httpx


class TestHealth:
    async def test_health_answers_ok(self, client: httpx.AsyncClient) -> None:
        reply = await client.get("/health")
        assert reply.status_code == 200
        assert reply.json() == {"status": "ok"}


class TestReady:
    async def test_ready_reports_the_database_backend(self, client: httpx.AsyncClient) -> None:
        reply = await client.get("/ready")
        assert reply.status_code == 200
        assert reply.json()["database"] in {"sqlite", "postgresql"}


class TestUnknownRoutes:
    async def test_unknown_path_uses_the_error_shape(self, client: httpx.AsyncClient) -> None:
        reply = await client.get("/api/v1/does-not-exist")
        assert reply.status_code == 404
        assert reply.json()["error"]["code"] == "not_found"

    async def test_wrong_method_uses_the_error_shape(self, client: httpx.AsyncClient) -> None:
        reply = await client.delete("/api/v1/users/me")
        assert reply.status_code == 405
        assert reply.json()["error"]["code"] == "method_not_allowed"
