"""Sign-in requests and the token pair they return."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from app.schemas.base import RequestModel, ResponseModel


class LoginRequest(RequestModel):
    # Either the email or the username identifies the account.
    login: str = Field(min_length=1, max_length=320, examples=["ana@example.com"])
    password: str = Field(min_length=1, max_length=1024)


class RefreshRequest(RequestModel):
    refresh_token: str = Field(min_length=1, max_length=256)


class TokenPair(ResponseModel):
    access_token: str
    refresh_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="Seconds until the access token expires.")
