"""Write a HAR's Qwen exchanges as test fixtures, in the layout of tests/fixtures/qwen-wire.

Per exchange ``<name>`` (operation, capture date, HAR entry number): ``<name>_exchange.headers.json``
(method, URL, status and both header lists), ``<name>_request.json`` when there is a body, and
``<name>_response.json`` or ``<name>.sse``; each with a ``.meta.json`` sidecar naming the source and
the capture date. Every text is scrubbed by a :class:`~._redact.Redactor` that learned the whole
HAR first, and checked again before it is written: a file that would still hold a secret is not
written at all (:class:`FixtureLeakError`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ._exchange import Exchange
from ._redact import Redactor
from ._spec import Spec

__all__ = ["FixtureLeakError", "write_fixtures"]

SOURCE = "browser HAR export (written by `qwen doctor --har FILE --fixtures DIR`)"
FIDELITY = "raw-capture (browser HAR export)"
REDACTIONS = [
    "Authorization bearer tokens and every JWT replaced by eyJhbGciOiJIUzI1NiJ9.fake.fake",
    "cookie and Set-Cookie values, bx-ua and bx-umidtoken replaced by REDACTED (names kept)",
    "STS access keys, security tokens, OSS signatures, signed-URL keys and x5secdata replaced by REDACTED",
    "the account's user id replaced by 00000000-0000-4000-8000-000000000000, e-mail addresses by user@example.com",
]


class FixtureLeakError(Exception):
    """A fixture still held a secret after redaction; nothing of that exchange was written."""


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def _date(started: str | None) -> str:
    match = re.match(r"\d{4}-\d{2}-\d{2}", started or "")
    return match.group(0) if match else "undated"


def _body_text(text: str) -> str:
    """JSON stored as captured when compact; other text unchanged."""
    return text if text.endswith("\n") else text + "\n"


def _write(path: Path, text: str, redactor: Redactor) -> None:
    leaks = redactor.leaks(text)
    if leaks:
        raise FixtureLeakError(f"{path.name}: would still contain {', '.join(leaks)}; not written")
    path.write_text(text, encoding="utf-8")


def _meta(
    exchange: Exchange, source_name: str, kind: str, shows: str, url: str, related: list[str], **extra: Any
) -> dict[str, Any]:
    return {
        "source_repo": SOURCE,
        "source_path": source_name,
        "date_of_capture_or_commit": exchange.started or "unknown (the HAR entry has no startedDateTime)",
        "kind": kind,
        "what_it_shows": shows,
        "synthesized_parts": "Secrets replaced as listed under redactions; otherwise the HAR's text as exported.",
        "fidelity": FIDELITY,
        "redactions": REDACTIONS,
        "http": {
            "method": exchange.method,
            "url": url,
            "status": exchange.status,
            "content_type": exchange.response_header("content-type"),
        },
        "related_cases": related,
        **extra,
    }


def write_fixtures(
    spec: Spec, exchanges: Sequence[Exchange], directory: str | Path, *, source_name: str, redactor: Redactor
) -> list[Path]:
    """Write ``exchanges`` (already filtered to Qwen API calls) into ``directory``; returns the files."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for exchange in exchanges:
        operation, _ = spec.match(exchange.method, exchange.path)
        op_name = _snake(operation.operation_id) if operation else "unknown_endpoint"
        name = f"{op_name}_{_date(exchange.started)}_{exchange.index:03d}"
        url = redactor.scrub(exchange.url)
        what = f"{exchange.method} {exchange.path}"
        files: dict[str, str] = {}
        headers = {
            "method": exchange.method,
            "url": url,
            "status": exchange.status,
            "request_headers": [list(p) for p in redactor.scrub_headers(exchange.request_headers)],
            "response_headers": [list(p) for p in redactor.scrub_headers(exchange.response_headers)] or None,
        }
        files[f"{name}_exchange.headers.json"] = json.dumps(headers, ensure_ascii=False, indent=2) + "\n"
        if exchange.request_body and exchange.request_body.strip():
            files[f"{name}_request.json"] = _body_text(redactor.scrub(exchange.request_body))
        response_name = None
        if exchange.response_body and exchange.response_body.strip():
            stream = exchange.content_type == "text/event-stream"
            response_name = f"{name}.sse" if stream else f"{name}_response.json"
            body = redactor.scrub(exchange.response_body)
            files[response_name] = body if stream else _body_text(body)
        related = list(files)
        sidecars = {}
        for file_name in files:
            if file_name.endswith("_exchange.headers.json"):
                kind, shows, sidecar = (
                    f"http-headers: {what}",
                    "Request and response headers as the browser exported them, in order.",
                    f"{name}_exchange.meta.json",
                )
            elif file_name.endswith("_request.json"):
                kind, shows, sidecar = f"json-request-body: {what}", "The request body.", f"{name}_request.meta.json"
            elif file_name.endswith(".sse"):
                kind, shows, sidecar = f"sse-stream: {what}", "The decoded event stream.", f"{name}.meta.json"
            else:
                kind, shows, sidecar = f"json-response-body: {what}", "The response body.", f"{name}_response.meta.json"
            others = [f for f in related if f != file_name]
            meta = _meta(exchange, source_name, kind, shows, url, others)
            sidecars[sidecar] = json.dumps(meta, ensure_ascii=False, indent=2) + "\n"
        files.update(sidecars)
        for file_name, text in files.items():  # check all before writing any
            leaks = redactor.leaks(text)
            if leaks:
                raise FixtureLeakError(f"{file_name}: would still contain {', '.join(leaks)}; nothing written for it")
        for file_name, text in files.items():
            _write(folder / file_name, text, redactor)
            written.append(folder / file_name)
    return written
