"""The exception hierarchy, exactly as documented, plus a few more specific leaves.

Defined here, once; the documented import path ``qwen_api.core.exceptions`` and the package root
re-export these classes (``pickle`` and ``repr`` name this module).

::

    QwenAPIError
    ├── QwenAPIStatusError
    │   ├── QwenAPIStatus4xxError
    │   │   ├── QwenAuthenticationError
    │   │   │   └── QwenPermissionError            (a 403: the token may not do this)
    │   │   ├── QwenAntiBotError                   (anti-bot / WAF block: not a credentials problem)
    │   │   └── QwenInvalidRequestError
    │   │       ├── QwenNotFoundError              (unknown or deleted chat)
    │   │       ├── QwenContentFilterError         (data_inspection_failed)
    │   │       └── QwenInputError                 (a local mistake, found before anything was sent)
    │   │           ├── QwenFileNotFoundError      (also a FileNotFoundError)
    │   │           ├── QwenIsADirectoryError      (also an IsADirectoryError)
    │   │           ├── QwenFilePermissionError    (also a PermissionError)
    │   │           ├── QwenInputTypeError         (also a TypeError)
    │   │           └── QwenInputValueError        (also a ValueError)
    │   └── QwenAPIStatus5xxError
    ├── QwenConnectionError
    │   └── QwenStreamInterruptedError             (connection lost mid-stream; carries the partial answer)
    ├── QwenTimeoutError
    ├── RateLimitError
    ├── QwenUploadError                            (a storage step of an upload failed)
    ├── QwenResponseTooLargeError                  (an answer beyond a size limit; ``code`` names it)
    ├── QwenClientClosedError                      (a call during or after ``close()``)
    └── QwenInternalError                          (the SDK could not make sense of a response)

Every error carries what a user needs to act on it -- ``status_code``, ``code`` (the service's own
error code), ``body``, ``headers``, the request method and URL (never credentials), ``request_id``,
``timestamp`` and ``retry_after`` -- is picklable, and its ``str()`` is one line.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ._redaction import redact_headers, redact_value, secrets

if TYPE_CHECKING:
    from .types.params import JSONValue

__all__ = [
    "AuthError",
    "QwenAPIError",
    "QwenAPIStatus4xxError",
    "QwenAPIStatus5xxError",
    "QwenAPIStatusError",
    "QwenAntiBotError",
    "QwenAuthenticationError",
    "QwenClientClosedError",
    "QwenConnectionError",
    "QwenContentFilterError",
    "QwenFileNotFoundError",
    "QwenFilePermissionError",
    "QwenInputError",
    "QwenInputTypeError",
    "QwenInputValueError",
    "QwenInternalError",
    "QwenInvalidRequestError",
    "QwenIsADirectoryError",
    "QwenNotFoundError",
    "QwenPermissionError",
    "QwenResponseTooLargeError",
    "QwenStreamInterruptedError",
    "QwenTimeoutError",
    "QwenUploadError",
    "RateLimitError",
    "StreamConsumedError",
]


class QwenAPIError(Exception):
    """Base class of every error the SDK raises for a failed call."""

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        code: str | None = None,
        body: object = None,
        headers: Mapping[str, str] | None = None,
        method: str | None = None,
        url: str | None = None,
        request_id: str | None = None,
        retry_after: float | None = None,
        partial_content: str | None = None,
        timestamp: float | None = None,
    ) -> None:
        # What the service echoes back (an error text, a body, a header, a presigned URL) can carry
        # the caller's credentials; an exception is printed, logged and pickled, so it never keeps them.
        message = secrets.redact(message)
        super().__init__(message)
        self.message = message
        self.status_code = status_code
        self.code = code
        self.body: JSONValue = redact_value(body)
        self.headers: dict[str, str] = redact_headers(headers or {})
        self.method = method
        self.url: str | None = secrets.redact(url) if url else url
        self.request_id = request_id
        self.retry_after = retry_after
        self.partial_content = partial_content
        self.timestamp: float = time.time() if timestamp is None else timestamp

    @property
    def request(self) -> dict[str, str | None]:
        """The request that failed, as ``{"method", "url"}`` (credentials are never part of it)."""
        return {"method": self.method, "url": self.url}

    def __str__(self) -> str:
        parts = [self.message]
        if self.status_code is not None:
            parts.append(f"status={self.status_code}")
        if self.code:
            parts.append(f"code={self.code}")
        if self.retry_after is not None:
            parts.append(f"retry_after={self.retry_after:g}s")
        if self.method and self.url:
            parts.append(f"request={self.method} {self.url}")
        if self.request_id:
            parts.append(f"request_id={self.request_id}")
        text = " | ".join(parts)
        return text.replace("\n", " ")

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        kwargs = {
            "status_code": self.status_code,
            "code": self.code,
            "body": self.body,
            "headers": self.headers,
            "method": self.method,
            "url": self.url,
            "request_id": self.request_id,
            "retry_after": self.retry_after,
            "partial_content": self.partial_content,
            "timestamp": self.timestamp,
        }
        return (_rebuild, (type(self), self.message, kwargs))


def _rebuild(cls: type[QwenAPIError], message: str, kwargs: dict[str, Any]) -> QwenAPIError:
    return cls(message, **kwargs)


class QwenAPIStatusError(QwenAPIError):
    """The service answered, and the answer was an error (an HTTP status or an error body)."""


class QwenAPIStatus4xxError(QwenAPIStatusError):
    """The request was refused as the client's fault (400-499)."""


class QwenAuthenticationError(QwenAPIStatus4xxError):
    """The token or cookie is missing, invalid or expired."""


class QwenPermissionError(QwenAuthenticationError):
    """The service refused the request with a 403: the account may not do this (a refresh will not help)."""


class QwenAntiBotError(QwenAPIStatus4xxError):
    """The anti-bot gate (baxia/WAF) blocked the request; a browser session is needed to pass it.

    A sibling of :class:`QwenAuthenticationError`, not a kind of it: the token is fine, so neither a
    token refresh nor ``except QwenAuthenticationError`` handling applies. ``code`` is the gate's
    marker (``FAIL_SYS_USER_VALIDATE``) or ``WAF_BLOCK`` for an HTML challenge page.
    """


class QwenInvalidRequestError(QwenAPIStatus4xxError):
    """The request itself is wrong: bad input, unknown chat, refused content."""


class QwenNotFoundError(QwenInvalidRequestError):
    """The chat (or other resource) does not exist, or was deleted."""


class QwenContentFilterError(QwenInvalidRequestError):
    """The service's content-safety check refused the input or the output."""


class QwenAPIStatus5xxError(QwenAPIStatusError):
    """The service failed (500-599)."""


class QwenConnectionError(QwenAPIError):
    """The network failed: connection refused, reset or dropped."""


class QwenStreamInterruptedError(QwenConnectionError):
    """The connection broke after part of the answer arrived; ``partial_content`` holds that part."""


class QwenTimeoutError(QwenAPIError):
    """Connecting, or waiting for the next bytes of an answer, took longer than the timeout."""


class RateLimitError(QwenAPIError):
    """Too many requests, or the account's quota is used up; see ``retry_after``."""


class QwenUploadError(QwenAPIError):
    """A storage step of a file upload failed (signature, expired credentials, storage error)."""


class QwenInternalError(QwenAPIError):
    """The SDK could not understand a response (malformed JSON, an unexpected shape)."""


class QwenResponseTooLargeError(QwenAPIError):
    """A response went beyond one of the client's size limits (``qwen_api.ResponseLimits``).

    ``code`` is the name of the limit (``max_event_bytes``, ``max_body_bytes`` or
    ``max_decompressed_bytes``); the message gives its value and how to raise it.
    """


class QwenClientClosedError(QwenAPIError):
    """The client was closed (``close()`` / ``aclose()``) before or during this call."""


AuthError = QwenAuthenticationError
"""Alias kept for code written against the older SDK."""


class StreamConsumedError(QwenAPIError, RuntimeError):
    """A stream was iterated after it had been read to the end or closed; streams are read once."""


# --------------------------------------------------------------------------------------------
# Local input mistakes: the built-in exception a Python user expects, and still a
# QwenInvalidRequestError, so code written against the documented hierarchy keeps working.
# --------------------------------------------------------------------------------------------


class QwenInputError(QwenInvalidRequestError):
    """A mistake in what was passed in (a missing file, an empty body, a wrong type), found locally
    before any request was sent. Retrying cannot help; the subclasses are also the built-in
    exception for the case (``except FileNotFoundError`` works)."""


class QwenFileNotFoundError(QwenInputError, FileNotFoundError):
    """The file to upload does not exist (``filename`` holds the path)."""


class QwenIsADirectoryError(QwenInputError, IsADirectoryError):
    """The path to upload is a directory (``filename`` holds the path)."""


class QwenFilePermissionError(QwenInputError, PermissionError):
    """The file to upload cannot be read by this process (``filename`` holds the path)."""


class QwenInputTypeError(QwenInputError, TypeError):
    """An argument has the wrong type (for example ``upload_file()`` without a source, or text for bytes)."""


class QwenInputValueError(QwenInputError, ValueError):
    """An argument has the right type but an unusable value (empty, too large, not valid base64...)."""
