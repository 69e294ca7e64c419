"""Domain errors and the one error shape every 4xx and 5xx reply uses.

``{"error": {"code": "...", "message": "...", "details": ...}}``
"""

from __future__ import annotations

import logging
from typing import Any, ClassVar

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

logger = logging.getLogger("grader")


class GraderError(Exception):
    """Base for errors a client can act on; each subclass carries its status and code."""

    status: ClassVar[int] = 400
    code: ClassVar[str] = "bad_request"
    default_message: ClassVar[str] = "The request cannot be processed."

    def __init__(self, message: str | None = None, *, details: Any = None) -> None:
        self.message = message or self.default_message
        self.details = details
        super().__init__(self.message)

    def headers(self) -> dict[str, str] | None:
        return None


class NotFound(GraderError):
    status = 404
    code = "not_found"
    default_message = "Not found."


class Unauthorized(GraderError):
    status = 401
    code = "not_authenticated"
    default_message = "Sign in to continue."

    def headers(self) -> dict[str, str] | None:
        return {"WWW-Authenticate": "Bearer"}


class Forbidden(GraderError):
    status = 403
    code = "forbidden"
    default_message = "You may not do that."


class Conflict(GraderError):
    status = 409
    code = "conflict"
    default_message = "That conflicts with existing data."


class Unprocessable(GraderError):
    status = 422
    code = "validation_error"
    default_message = "The request is not valid."


class PayloadTooLarge(GraderError):
    status = 413
    code = "payload_too_large"
    default_message = "The request body is too large."


class RateLimited(GraderError):
    status = 429
    code = "rate_limited"
    default_message = "Too many attempts. Try again later."

    def __init__(self, *, retry_after: int, message: str | None = None) -> None:
        super().__init__(message, details={"retry_after": retry_after})
        self.retry_after = retry_after

    def headers(self) -> dict[str, str] | None:
        return {"Retry-After": str(self.retry_after)}


class ErrorBody(BaseModel):
    code: str
    message: str
    details: Any = None


class ErrorResponse(BaseModel):
    """The shape of every error reply; routes list it in ``responses=`` for OpenAPI."""

    error: ErrorBody


def error_response(
    *,
    status: int,
    code: str,
    message: str,
    details: Any = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = {"error": {"code": code, "message": message, "details": jsonable_encoder(details)}}
    return JSONResponse(body, status_code=status, headers=headers)


def responses(*errors: type[GraderError]) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses=`` for the errors a route can raise."""
    return {
        error.status: {"model": ErrorResponse, "description": error.default_message}
        for error in errors
    }


_HTTP_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
}


def _validation_details(error: RequestValidationError) -> list[dict[str, Any]]:
    details = []
    for item in error.errors():
        location = [str(part) for part in item.get("loc", ())]
        details.append(
            {
                "field": ".".join(part for part in location if part not in {"body", "query"}),
                "location": location,
                "message": item.get("msg", "invalid"),
                "type": item.get("type", "value_error"),
            }
        )
    return details


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(GraderError)
    async def _grader_error(_request: Request, error: GraderError) -> JSONResponse:
        return error_response(
            status=error.status,
            code=error.code,
            message=error.message,
            details=error.details,
            headers=error.headers(),
        )

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_request: Request, error: RequestValidationError) -> JSONResponse:
        details = _validation_details(error)
        first = details[0] if details else None
        message = (
            f"{first['field'] or 'request'}: {first['message']}" if first else "Invalid request."
        )
        return error_response(status=422, code="validation_error", message=message, details=details)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_request: Request, error: StarletteHTTPException) -> JSONResponse:
        message = error.detail if isinstance(error.detail, str) else "Request failed."
        return error_response(
            status=error.status_code,
            code=_HTTP_CODES.get(error.status_code, "http_error"),
            message=message,
            headers=dict(error.headers) if error.headers else None,
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, error: Exception) -> JSONResponse:
        logger.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_response(
            status=500, code="internal_error", message="Something went wrong on our side."
        )
