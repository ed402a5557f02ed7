"""Build a HAR from the recorded wire fixtures (tests/fixtures/qwen-wire), as a browser would export it.

Each case (the files sharing a base name: ``<base>_exchange.headers.json``, ``<base>_request.json``,
``<base>_response.json`` / ``<base>.json`` / ``<base>.sse``) becomes one HAR entry with the recorded
method, URL, headers and bodies. Cases without recorded headers take method and path from their
sidecar's ``kind`` line. Error bodies are left out: they are failures, not protocol (the doctor
diagnoses them; tests add them on purpose).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from qwen_api.doctor import Exchange, har_document

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "qwen-wire"
_SUFFIXES = ("_exchange.headers.json", "_request.json", "_response.json", ".sse", ".json")
_KIND = re.compile(r"^(?:json-response-body|json-request-body|sse-stream|http-headers): (GET|POST|DELETE) (/api/\S+)")


def _base(name: str) -> tuple[str, str] | None:
    if name.endswith(".meta.json") or not name.endswith((".json", ".sse")):
        return None
    for suffix in _SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)], suffix
    return None


def recorded_cases(folder: Path = FIXTURES) -> dict[str, dict[str, Path]]:
    cases: dict[str, dict[str, Path]] = {}
    for file in sorted(folder.iterdir()):
        found = _base(file.name)
        if found is None or file.name.startswith(("error_", "legacy_")):
            continue
        base, suffix = found
        cases.setdefault(base, {})[suffix] = file
    return cases


def _meta(file: Path) -> dict[str, Any]:
    name = file.name
    sidecar = file.with_name(
        name.replace("_exchange.headers.json", "_exchange.meta.json")
        if name.endswith("_exchange.headers.json")
        else re.sub(r"\.(json|sse)$", ".meta.json", name)
    )
    return json.loads(sidecar.read_text(encoding="utf-8")) if sidecar.exists() else {}


def _pairs(items: list[list[str]] | None) -> tuple[tuple[str, str], ...]:
    return tuple((name, value) for name, value in items or ())


def synthesize_exchanges(folder: Path = FIXTURES) -> list[Exchange]:
    exchanges = []
    for base, files in recorded_cases(folder).items():
        headers = files.get("_exchange.headers.json")
        request = files.get("_request.json")
        response = files.get("_response.json") or files.get(".json") or files.get(".sse")
        method = url = None
        status = 200
        request_headers: tuple[tuple[str, str], ...] = ()
        response_headers: tuple[tuple[str, str], ...] = ()
        started = None
        if headers is not None:
            recorded = json.loads(headers.read_text(encoding="utf-8"))
            method, url, status = recorded["method"], recorded["url"], recorded["status"]
            request_headers = _pairs(recorded["request_headers"])
            response_headers = _pairs(recorded.get("response_headers"))
            started = _meta(headers).get("date_of_capture_or_commit")
        for file in (request, response):
            if file is None:
                continue
            meta = _meta(file)
            started = started or meta.get("date_of_capture_or_commit")
            http = meta.get("http") or {}
            if method is None and http.get("url"):
                method, url = http["method"], http["url"]
            match = _KIND.match(meta.get("kind", ""))
            if method is None and match:
                method, url = match.group(1), "https://chat.qwen.ai" + match.group(2)
        if method is None or url is None:
            continue
        if response is not None and not any(k.lower() == "content-type" for k, _ in response_headers):
            kind = "text/event-stream; charset=utf-8" if response.suffix == ".sse" else "application/json"
            response_headers = (*response_headers, ("Content-Type", kind))
        exchanges.append(
            Exchange(
                index=len(exchanges) + 1,
                method=method,
                url=url,
                request_headers=request_headers,
                request_body=request.read_text(encoding="utf-8") if request else None,
                status=status,
                response_headers=response_headers,
                response_body=response.read_text(encoding="utf-8") if response else None,
                started=started,
            )
        )
    return exchanges


def synthesized_har(folder: Path = FIXTURES) -> dict[str, Any]:
    return har_document(synthesize_exchanges(folder))
