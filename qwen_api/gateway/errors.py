"""Errors the gateway answers with, in the OpenAI shape, and how SDK errors map onto them.

The client of the gateway never sees an upstream credential or body: an SDK error becomes a status,
an OpenAI error ``type`` and ``code``, and a one-line message naming what went wrong upstream.
"""

from __future__ import annotations

import math
from typing import Any

import attrs

from qwen_api import (
    QwenAntiBotError,
    QwenAPIError,
    QwenAPIStatus5xxError,
    QwenAuthenticationError,
    QwenConnectionError,
    QwenContentFilterError,
    QwenInvalidRequestError,
    QwenNotFoundError,
    QwenPermissionError,
    QwenTimeoutError,
    RateLimitError,
)

__all__ = ["GatewayError", "from_sdk_error", "openai_error_body"]


@attrs.define(eq=False)
class GatewayError(Exception):
    """An answer the gateway gives instead of a completion: HTTP status plus OpenAI error fields."""

    status: int
    message: str
    type: str = "invalid_request_error"
    code: str | None = None
    param: str | None = None
    retry_after: float | None = None

    def __str__(self) -> str:
        return f"{self.status} {self.type}: {self.message}"

    def headers(self) -> dict[str, str]:
        """The response headers the error needs: ``Retry-After`` (whole seconds) when known."""
        if self.retry_after is None:
            return {}
        return {"Retry-After": str(max(1, math.ceil(self.retry_after)))}


def openai_error_body(error: GatewayError) -> dict[str, Any]:
    """The error as OpenAI's API answers it: ``{"error": {"message", "type", "param", "code"}}``."""
    return {"error": {"message": error.message, "type": error.type, "param": error.param, "code": error.code}}


def bad_request(message: str, *, param: str | None = None, code: str | None = None) -> GatewayError:
    """A 400 ``invalid_request_error`` about the client's request (``param`` names the field)."""
    return GatewayError(400, message, "invalid_request_error", code, param)


def not_supported(feature: str, param: str) -> GatewayError:
    """A 400 for a parameter the gateway does not implement, instead of silently ignoring it."""
    return GatewayError(
        400,
        f"{feature} is not supported yet by this gateway",
        "invalid_request_error",
        "unsupported_parameter",
        param,
    )


def from_sdk_error(error: QwenAPIError) -> GatewayError:
    """The gateway's answer to an upstream failure that no other account could avoid."""
    kind = type(error).__name__
    upstream = f"upstream {kind}"
    if error.code:
        upstream += f" ({error.code})"
    if isinstance(error, RateLimitError):
        return GatewayError(
            429,
            f"{upstream}: rate limited, retry later",
            "rate_limit_error",
            "rate_limit_exceeded",
            None,
            error.retry_after if error.retry_after is not None else 60.0,
        )
    if isinstance(error, (QwenAntiBotError, QwenPermissionError)):
        why = "anti-bot check" if isinstance(error, QwenAntiBotError) else "forbidden"
        return GatewayError(
            403,
            f"{upstream}: the upstream refused the request ({why})",
            "permission_error",
            "upstream_blocked",
        )
    if isinstance(error, QwenAuthenticationError):
        return GatewayError(
            502,
            f"{upstream}: the gateway's upstream credentials were refused",
            "upstream_error",
            "upstream_auth_failed",
        )
    if isinstance(error, QwenContentFilterError):
        return GatewayError(
            400, f"{upstream}: the input was refused by the content filter", "invalid_request_error", "content_filter"
        )
    if isinstance(error, QwenNotFoundError):
        return GatewayError(404, f"{upstream}: not found", "invalid_request_error", "not_found")
    if isinstance(error, QwenInvalidRequestError):
        return GatewayError(400, f"{upstream}: {error.message}", "invalid_request_error", "upstream_invalid_request")
    if isinstance(error, QwenTimeoutError):
        return GatewayError(
            504, f"{upstream}: the upstream did not answer in time", "upstream_error", "upstream_timeout"
        )
    if isinstance(error, QwenAPIStatus5xxError) and error.status_code == 503:
        # The upstream said it is unavailable for now, perhaps for how long: the client hears the same.
        return GatewayError(
            503,
            f"{upstream}: the upstream is unavailable, retry later",
            "upstream_error",
            "upstream_unavailable",
            None,
            error.retry_after if error.retry_after is not None and error.retry_after > 0 else None,
        )
    if isinstance(error, QwenAPIStatus5xxError | QwenConnectionError):
        return GatewayError(502, f"{upstream}: the upstream failed", "upstream_error", "upstream_unavailable")
    return GatewayError(502, f"{upstream}: {error.message}", "upstream_error", "upstream_error")
