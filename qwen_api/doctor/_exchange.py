"""One HTTP request and its answer, as the doctor sees it, from a HAR entry or a live call.

Both sources become the same :class:`Exchange`, so the HAR check, the fixture writer and the live
check share one validator. Nothing here does I/O except :func:`read_har_exchanges`, which reads
one file.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import attrs

__all__ = ["Exchange", "HarFileError", "exchanges_from_har", "read_har_exchanges", "sse_events", "sse_other_fields"]

Headers = tuple[tuple[str, str], ...]


class HarFileError(Exception):
    """The file is not a readable HAR (a usage error)."""


@attrs.frozen
class Exchange:
    """A request and its response; bodies are text (decoded), headers are ordered pairs."""

    index: int
    method: str
    url: str
    request_headers: Headers = ()
    request_body: str | None = None
    status: int | None = None
    response_headers: Headers = ()
    response_body: str | None = None
    started: str | None = None
    """When the request started (ISO 8601), if the source says."""
    mime_type: str | None = None
    """The HAR's ``content.mimeType``: the answer's media type when its headers do not say."""

    @property
    def host(self) -> str:
        return (urlsplit(self.url).hostname or "").lower()

    @property
    def path(self) -> str:
        return urlsplit(self.url).path or "/"

    @property
    def query(self) -> list[tuple[str, str]]:
        return parse_qsl(urlsplit(self.url).query, keep_blank_values=True)

    @property
    def label(self) -> str:
        """``#3 POST /api/v2/chats/new``: which exchange, without the query (it may hold ids or keys)."""
        return f"#{self.index} {self.method} {self.path}"

    def request_header(self, name: str) -> str | None:
        return _header(self.request_headers, name)

    def response_header(self, name: str) -> str | None:
        return _header(self.response_headers, name)

    @property
    def content_type(self) -> str:
        declared = self.response_header("content-type") or self.mime_type or ""
        return declared.split(";", 1)[0].strip().lower()


def _header(headers: Headers, name: str) -> str | None:
    name = name.lower()
    found = None
    for key, value in headers:
        if key.lower() == name:
            found = value
    return found


def sse_events(text: str) -> Iterator[tuple[int, str]]:
    """``(index, data)`` for each event of an event-stream body (``data:`` lines joined; ``[DONE]`` skipped)."""
    index = 0
    data: list[str] = []
    for line in [*text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), ""]:
        if not line:
            if data:
                payload = "\n".join(data)
                if payload.strip() != "[DONE]":
                    yield index, payload
                    index += 1
                data = []
            continue
        if line.startswith(":"):
            continue
        field, _, value = line.partition(":")
        if field == "data":
            data.append(value[1:] if value.startswith(" ") else value)


def sse_other_fields(text: str) -> Iterator[tuple[int, str, str]]:
    """``(index, field, value)`` for each SSE field other than ``data`` (``event``, ``id``, ``retry``...).

    ``index`` is the index :func:`sse_events` gives the event the field belongs to. The service's
    streams carry ``data:`` lines only, so any other field is a change in the stream's shape.
    """
    index = 0
    has_data = False
    for line in [*text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), ""]:
        if not line:
            index += has_data
            has_data = False
            continue
        if line.startswith(":"):
            continue
        field, _, value = line.partition(":")
        if field == "data":
            has_data = True  # ([DONE] is counted too: harmless, it is the last event)
            continue
        yield index, field, value[1:] if value.startswith(" ") else value


# -- HAR ------------------------------------------------------------------------------------------


def _pairs(items: object) -> Headers:
    pairs = []
    if isinstance(items, list):
        for item in items:
            if isinstance(item, Mapping) and isinstance(item.get("name"), str) and isinstance(item.get("value"), str):
                pairs.append((item["name"], item["value"]))
    return tuple(pairs)


def _content_text(content: object) -> str | None:
    if not isinstance(content, Mapping):
        return None
    text = content.get("text")
    if not isinstance(text, str):
        return None
    if content.get("encoding") == "base64":
        try:
            return base64.b64decode(text).decode("utf-8", "replace")
        except (binascii.Error, ValueError):
            return None
    return text


def _mime_type(content: object) -> str | None:
    if isinstance(content, Mapping) and isinstance(content.get("mimeType"), str) and content["mimeType"]:
        return str(content["mimeType"])
    return None


def _post_text(post: object) -> str | None:
    if isinstance(post, Mapping) and isinstance(post.get("text"), str):
        return str(post["text"])
    return None


def exchanges_from_har(document: Any) -> list[Exchange]:
    """Every entry of a HAR document as an :class:`Exchange` (numbered from 1, in file order)."""
    log = document.get("log") if isinstance(document, Mapping) else None
    entries = log.get("entries") if isinstance(log, Mapping) else None
    if not isinstance(entries, list):
        raise HarFileError("not a HAR file (no log.entries list)")
    found = []
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, Mapping):
            continue
        request, response = entry.get("request"), entry.get("response")
        if not isinstance(request, Mapping) or not isinstance(request.get("url"), str):
            continue
        response = response if isinstance(response, Mapping) else {}
        post = request.get("postData")
        status = response.get("status")
        found.append(
            Exchange(
                index=number,
                method=str(request.get("method", "GET")).upper(),
                url=request["url"],
                request_headers=_pairs(request.get("headers")),
                request_body=_post_text(post),
                status=status if isinstance(status, int) and status > 0 else None,
                response_headers=_pairs(response.get("headers")),
                response_body=_content_text(response.get("content")),
                started=entry.get("startedDateTime") if isinstance(entry.get("startedDateTime"), str) else None,
                mime_type=_mime_type(response.get("content")),
            )
        )
    return found


def read_har_exchanges(path: str | Path) -> list[Exchange]:
    """Read the HAR at ``path`` (raises :class:`HarFileError` with a readable reason)."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise HarFileError(f"{file}: no such file") from None
    except IsADirectoryError:
        raise HarFileError(f"{file}: is a directory, not a HAR file") from None
    except UnicodeDecodeError:
        raise HarFileError(f"{file}: not a HAR file (not UTF-8 text)") from None
    except OSError as exc:
        raise HarFileError(f"{file}: cannot read ({exc.strerror or exc})") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise HarFileError(f"{file}: not a HAR file (invalid JSON: {exc.msg} at line {exc.lineno})") from None
    try:
        return exchanges_from_har(document)
    except HarFileError as exc:
        raise HarFileError(f"{file}: {exc}") from None


def har_document(exchanges: Iterable[Exchange]) -> dict[str, Any]:
    """A minimal HAR 1.2 document holding ``exchanges`` (used to write synthesized HARs)."""
    entries = []
    for exchange in exchanges:
        query = [{"name": k, "value": v} for k, v in exchange.query]
        request: dict[str, Any] = {
            "method": exchange.method,
            "url": exchange.url,
            "httpVersion": "HTTP/1.1",
            "headers": [{"name": k, "value": v} for k, v in exchange.request_headers],
            "queryString": query,
            "cookies": [],
            "headersSize": -1,
            "bodySize": len(exchange.request_body or ""),
        }
        if exchange.request_body is not None:
            mime = exchange.request_header("content-type") or "application/json"
            request["postData"] = {"mimeType": mime, "text": exchange.request_body}
        body = exchange.response_body or ""
        entries.append(
            {
                "startedDateTime": exchange.started or "1970-01-01T00:00:00.000Z",
                "time": 0,
                "request": request,
                "response": {
                    "status": exchange.status or 0,
                    "statusText": "",
                    "httpVersion": "HTTP/1.1",
                    "headers": [{"name": k, "value": v} for k, v in exchange.response_headers],
                    "cookies": [],
                    "content": {"size": len(body), "mimeType": exchange.content_type or "", "text": body},
                    "redirectURL": "",
                    "headersSize": -1,
                    "bodySize": len(body),
                },
                "cache": {},
                "timings": {"send": 0, "wait": 0, "receive": 0},
            }
        )
    return {"log": {"version": "1.2", "creator": {"name": "qwen doctor", "version": "1"}, "entries": entries}}
