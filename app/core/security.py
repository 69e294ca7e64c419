"""Password hashing and the two kinds of token: access JWTs and refresh tokens."""

from __future__ import annotations

import hashlib
import secrets
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

JWT_ALGORITHM = "HS256"
ACCESS_TOKEN_TYPE = "access"
REFRESH_TOKEN_BYTES = 32


class PasswordHasher:
    """Argon2id hashing with a dummy hash so unknown accounts cost the same time."""

    def __init__(self, *, memory_kib: int, time_cost: int) -> None:
        self._hash = PasswordHash((Argon2Hasher(memory_cost=memory_kib, time_cost=time_cost),))
        self._dummy_hash = self._hash.hash(secrets.token_urlsafe(16))

    def hash(self, password: str) -> str:
        return self._hash.hash(password)

    def verify(self, password: str, password_hash: str | None) -> bool:
        """Check a password; with no hash (unknown account) spend the same effort and fail."""
        if password_hash is None:
            self._hash.verify(password, self._dummy_hash)
            return False
        try:
            return self._hash.verify(password, password_hash)
        except Exception:  # a corrupt stored hash must fail closed, not 500
            return False


@dataclass(frozen=True, slots=True)
class AccessClaims:
    user_id: int
    token_version: int
    expires_at: datetime


class InvalidToken(Exception):
    """Any token problem. Callers never learn which one, so neither does an attacker."""


class TokenSigner:
    CACHE_SIZE = 4096

    def __init__(self, *, secret_key: str, access_minutes: int) -> None:
        self._key = secret_key
        self._access_lifetime = timedelta(minutes=access_minutes)
        # Verifying a signature is deterministic, so a token that verified once
        # verifies again: remember the claims (a third of /users/me's cost).
        self._verified: OrderedDict[str, AccessClaims] = OrderedDict()

    @property
    def access_lifetime(self) -> timedelta:
        return self._access_lifetime

    def issue_access(self, *, user_id: int, token_version: int, now: datetime) -> str:
        claims = {
            "sub": str(user_id),
            "typ": ACCESS_TOKEN_TYPE,
            "ver": token_version,
            "iat": int(now.timestamp()),
            "exp": int((now + self._access_lifetime).timestamp()),
        }
        return jwt.encode(claims, self._key, algorithm=JWT_ALGORITHM)

    def read_access(self, token: str, *, now: datetime) -> AccessClaims:
        claims = self._verified.get(token)
        if claims is None:
            claims = self._verify(token)
            self._verified[token] = claims
            if len(self._verified) > self.CACHE_SIZE:
                self._verified.popitem(last=False)
        # Expiry is checked on every use, against the caller's clock.
        if claims.expires_at <= now:
            raise InvalidToken
        return claims

    def _verify(self, token: str) -> AccessClaims:
        try:
            # A fixed algorithm list is what rejects `alg: none` and key confusion.
            claims = jwt.decode(
                token,
                self._key,
                algorithms=[JWT_ALGORITHM],
                options={
                    "require": ["exp", "sub", "typ"],
                    "verify_exp": False,
                    "verify_iat": False,
                },
            )
        except jwt.PyJWTError as error:
            raise InvalidToken from error
        subject, token_type, version = claims.get("sub"), claims.get("typ"), claims.get("ver", 0)
        if token_type != ACCESS_TOKEN_TYPE or not isinstance(subject, str):
            raise InvalidToken
        if not subject.isascii() or not subject.isdigit() or not isinstance(version, int):
            raise InvalidToken
        return AccessClaims(
            user_id=int(subject),
            token_version=version,
            expires_at=datetime.fromtimestamp(claims["exp"], UTC),
        )


def new_refresh_token() -> str:
    """An opaque random token: never a JWT, so it cannot be mistaken for an access token."""
    return "rt_" + secrets.token_urlsafe(REFRESH_TOKEN_BYTES)


def hash_refresh_token(token: str) -> str:
    # High-entropy random tokens need no slow hash; SHA-256 keeps lookups indexed.
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
