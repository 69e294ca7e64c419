"""Accounts as the API shows and accepts them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import AfterValidator, EmailStr, Field, ValidationInfo, field_validator

from app.models.user import Role
from app.schemas.base import RequestModel, ResponseModel

USERNAME_PATTERN = r"^[A-Za-z0-9_.-]{3,32}$"
PASSWORD_MIN_LENGTH = 10
PASSWORD_MAX_LENGTH = 128
# The most common passwords that pass the length rule; a full list is not worth a dependency.
COMMON_PASSWORDS = frozenset(
    {
        "1234567890", "0123456789", "12345678910", "password123", "password12",
        "qwertyuiop", "1q2w3e4r5t", "iloveyou12", "passw0rd123", "abcdefghij",
        "qwerty1234", "1qaz2wsx3edc", "password1!", "letmein123", "welcome123",
        "administrator", "changeme123", "trustno1234",
    }
)  # fmt: skip

DailyGoal = Literal[10, 20, 30, 50]


def check_password_policy(password: str) -> str:
    if len(password) < PASSWORD_MIN_LENGTH:
        raise ValueError(f"must be at least {PASSWORD_MIN_LENGTH} characters long")
    if len(password) > PASSWORD_MAX_LENGTH:
        raise ValueError(f"must be at most {PASSWORD_MAX_LENGTH} characters long")
    if password.lower() in COMMON_PASSWORDS:
        raise ValueError("is one of the most common passwords; choose another")
    if len(set(password)) < 4:
        raise ValueError("must contain at least 4 different characters")
    return password


def check_timezone(name: str) -> str:
    # ZoneInfo alone accepts file paths such as "../../etc"; the list does not.
    if name not in available_timezones():
        raise ValueError("must be an IANA timezone such as 'Europe/Madrid'")
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError("must be an IANA timezone such as 'Europe/Madrid'") from error
    return name


Password = Annotated[str, AfterValidator(check_password_policy)]
Timezone = Annotated[str, Field(max_length=64), AfterValidator(check_timezone)]
Username = Annotated[str, Field(pattern=USERNAME_PATTERN, examples=["ana_garcia"])]
DisplayName = Annotated[str, Field(max_length=64)]


class UserRegister(RequestModel):
    email: EmailStr
    username: Username
    password: Password
    display_name: DisplayName = ""
    timezone: Timezone = "UTC"

    @field_validator("email")
    @classmethod
    def _lowercase_email(cls, email: str) -> str:
        return email.lower()

    @field_validator("password")
    @classmethod
    def _password_not_identity(cls, password: str, info: ValidationInfo) -> str:
        lowered = password.lower()
        username = str(info.data.get("username", "")).lower()
        email_name = str(info.data.get("email", "")).split("@")[0].lower()
        for identity in (username, email_name):
            if len(identity) >= 3 and identity in lowered:
                raise ValueError("must not contain your username or email")
        return password


class UserUpdate(RequestModel):
    """What a learner may change about themselves; role, XP and hearts are not here."""

    display_name: DisplayName | None = None
    timezone: Timezone | None = None
    daily_goal: DailyGoal | None = None


class UserPublic(ResponseModel):
    id: int
    email: str
    username: str
    display_name: str
    role: Role
    timezone: str
    daily_goal: int
    created_at: datetime
