"""``RawResponse``: what ``client.<resource>.with_raw_response.<method>(...)`` returns.

It mirrors openai-python's ``LegacyAPIResponse``: the HTTP status and headers of the call's main
request, and the parsed result from :meth:`RawResponse.parse`. The SDK has already read and parsed
the body when the call returns (an answer's event stream is consumed into the result, or, with
``stream=True``, handed over as the :class:`~qwen_api.Stream` that ``parse()`` returns).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Generic, TypeVar

from ._transport import response_headers

if TYPE_CHECKING:
    import httpx

    from ._request_options import ResponseRecorder
    from .types.params import JSONValue

R = TypeVar("R", covariant=True)  # a RawResponse only hands its result out

__all__ = ["RawResponse"]


class RawResponse(Generic[R]):
    """The HTTP side of one SDK call, plus its parsed result.

    Attributes:
        status_code: the HTTP status of the main request (the completion request for a chat turn).
        headers: its response headers (case-insensitive).
        url: its URL (no credentials: they travel in headers).
        method: its HTTP method.
        retries_taken: how many times the main request was retried before this answer.
    """

    def __init__(self, parsed: R, recorder: ResponseRecorder) -> None:
        self._parsed = parsed
        self.status_code: int = recorder.status_code
        self.headers: httpx.Headers = response_headers(recorder.headers)
        self.url: str = recorder.url
        self.method: str = recorder.method
        self.retries_taken: int = max(recorder.attempts - 1, 0)
        self._content: bytes = recorder.content

    @property
    def request_id(self) -> str | None:
        """The ``x-request-id`` header, when the service sent one (quote it in bug reports)."""
        value: str | None = self.headers.get("x-request-id")
        return value

    @property
    def content(self) -> bytes:
        """The body of a JSON response as received; empty for a chat answer, whose event stream
        was read into the parsed result (or is read by the stream ``parse()`` returns)."""
        return self._content

    @property
    def text(self) -> str:
        """:attr:`content` decoded as UTF-8."""
        return self._content.decode("utf-8", "replace")

    def json(self) -> JSONValue:
        """:attr:`content` decoded as JSON (raises ``ValueError`` when it is empty or not JSON)."""
        parsed: JSONValue = json.loads(self._content)
        return parsed

    def parse(self) -> R:
        """The result the method returns without ``with_raw_response`` (a response, a stream...)."""
        return self._parsed

    def __repr__(self) -> str:
        return f"<RawResponse [{self.status_code}] {self.method} {self.url.split('?', 1)[0]}>"
