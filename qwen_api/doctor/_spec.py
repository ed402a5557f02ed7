"""The OpenAPI document the doctor checks against: loading it, finding the operation of a request.

The installed package carries the spec as ``qwen_api_client/openapi.json`` (written from
``spec/qwen-chat.openapi.yaml`` by ``make generate`` and checked by ``make check-generated``), so a
user's ``qwen doctor`` and a maintainer's ``make spec-check`` read the same document; ``--spec``
points at another file (YAML needs PyYAML, a development dependency).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

__all__ = ["Operation", "Spec", "SpecError", "load_packaged_spec", "load_spec"]

_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")

#: Headers every HTTP exchange may carry; they say nothing about the Qwen protocol. The headers
#: that do (``source``, ``version``, ``bx-*``, ``x-actual-status-code``...) are listed in the spec,
#: under ``x-known-headers`` or as operation parameters, so a new one is drift.
GENERIC_REQUEST_HEADERS = frozenset(
    {
        "accept", "accept-encoding", "accept-language", "cache-control", "connection", "content-length",
        "content-type", "dnt", "host", "origin", "pragma", "priority", "referer", "te", "user-agent",
        "upgrade-insecure-requests", "sec-ch-ua", "sec-ch-ua-mobile", "sec-ch-ua-platform", "sec-fetch-dest",
        "sec-fetch-mode", "sec-fetch-site", "sec-fetch-user", "sec-gpc", "if-none-match", "if-modified-since",
        "transfer-encoding",
    }
)  # fmt: skip
GENERIC_RESPONSE_HEADERS = frozenset(
    {
        "access-control-allow-credentials", "access-control-allow-headers", "access-control-allow-methods",
        "access-control-allow-origin", "access-control-expose-headers", "access-control-max-age", "age",
        "alt-svc", "cache-control", "connection", "content-encoding", "content-length", "content-type",
        "content-security-policy", "date", "etag", "expires", "keep-alive", "last-modified", "pragma",
        "referrer-policy", "retry-after", "server", "server-timing", "set-cookie", "strict-transport-security",
        "timing-allow-origin", "transfer-encoding", "vary", "via", "x-content-type-options", "x-frame-options",
        "x-xss-protection",
        "x-accel-buffering",  # nginx's proxy-buffering switch, echoed on event streams
    }
)  # fmt: skip


class SpecError(Exception):
    """The spec file cannot be read or is not an OpenAPI document (a usage error)."""


@attrs.frozen
class Operation:
    """One method on one path of the spec."""

    method: str
    path: str
    operation_id: str
    document: Mapping[str, Any] = attrs.field(repr=False)
    parameters: tuple[Mapping[str, Any], ...] = attrs.field(repr=False)
    pattern: re.Pattern[str] = attrs.field(repr=False)


def _template_regex(path: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}/]+\})", path)
    regex = "".join("[^/]+" if part.startswith("{") else re.escape(part) for part in parts if part)
    return re.compile(rf"\A{regex}\Z")


class Spec:
    """An OpenAPI 3.1 document with the look-ups the validator needs."""

    def __init__(self, document: Mapping[str, Any], source: str = "spec") -> None:
        if not isinstance(document, Mapping) or not isinstance(document.get("paths"), Mapping):
            raise SpecError(f"{source}: not an OpenAPI document (no paths)")
        self.document = document
        self.source = source
        self.operations: list[Operation] = self._operations()
        self.paths: frozenset[str] = frozenset(operation.path for operation in self.operations)
        self.hosts: frozenset[str] = self._hosts()
        known = document.get("x-known-headers") or {}
        self.request_headers: frozenset[str] = (
            GENERIC_REQUEST_HEADERS | self._security_headers() | _lower(known.get("request", ()))
        )
        self.response_headers: frozenset[str] = GENERIC_RESPONSE_HEADERS | _lower(known.get("response", ()))
        undescribed = document.get("x-undescribed-paths") or []
        self.undescribed: tuple[re.Pattern[str], ...] = tuple(
            _template_regex(str(path)) for path in undescribed if isinstance(path, str)
        )

    def _operations(self) -> list[Operation]:
        found = []
        for path, item in self.document["paths"].items():
            if not isinstance(item, Mapping):
                continue
            shared = tuple(self.resolve(p) for p in item.get("parameters", ()))
            for method in _METHODS:
                operation = item.get(method)
                if not isinstance(operation, Mapping):
                    continue
                own = tuple(self.resolve(p) for p in operation.get("parameters", ()))
                found.append(
                    Operation(
                        method=method.upper(),
                        path=path,
                        operation_id=str(operation.get("operationId", f"{method} {path}")),
                        document=operation,
                        parameters=shared + own,
                        pattern=_template_regex(path),
                    )
                )
        # literal paths before templated ones: /api/v2/chats/new is not the chat "new"
        found.sort(key=lambda op: (op.path.count("{"), -len(op.path)))
        return found

    def _hosts(self) -> frozenset[str]:
        hosts = set()
        servers = list(self.document.get("servers", ()))
        for item in self.document["paths"].values():
            if isinstance(item, Mapping):
                servers.extend(item.get("servers", ()))
        for server in servers:
            url = server.get("url", "") if isinstance(server, Mapping) else ""
            host = re.sub(r"^[a-z]+://", "", url).split("/", 1)[0].split(":", 1)[0].lower()
            if host:
                hosts.add(host)
        return frozenset(hosts)

    def _security_headers(self) -> frozenset[str]:
        names = set()
        schemes = self.document.get("components", {}).get("securitySchemes", {})
        for scheme in schemes.values():
            if scheme.get("type") == "http":
                names.add("authorization")
            elif scheme.get("type") == "apiKey":
                names.add("cookie" if scheme.get("in") == "cookie" else str(scheme.get("name", "")).lower())
        return frozenset(names)

    def resolve(self, node: Any) -> Any:
        """Follow ``$ref`` (local references only) until a non-reference node."""
        seen = 0
        while isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if not ref.startswith("#/"):
                raise SpecError(f"{self.source}: only local references are supported, got {ref}")
            target: Any = self.document
            for part in ref[2:].split("/"):
                part = part.replace("~1", "/").replace("~0", "~")
                if not isinstance(target, Mapping) or part not in target:
                    raise SpecError(f"{self.source}: unresolvable reference {ref}")
                target = target[part]
            node = target
            seen += 1
            if seen > 50:
                raise SpecError(f"{self.source}: reference loop at {ref}")
        return node

    def schema(self, name: str) -> Mapping[str, Any]:
        """A ``$ref`` to the spec's component schema ``name``, for validating a body against it.

        Raises:
            SpecError: the spec has no such schema.
        """
        schemas = self.document.get("components", {}).get("schemas", {})
        if name not in schemas:
            raise SpecError(f"{self.source}: no schema {name}")
        return {"$ref": f"#/components/schemas/{name}"}

    def is_undescribed(self, path: str) -> bool:
        """A path the spec lists under ``x-undescribed-paths``: known, deliberately not described."""
        return any(pattern.match(path) for pattern in self.undescribed)

    def match(self, method: str, path: str) -> tuple[Operation | None, bool]:
        """The operation for ``method path``, and whether the path itself is known (any method)."""
        path_known = False
        for operation in self.operations:
            if operation.pattern.match(path):
                path_known = True
                if operation.method == method.upper():
                    return operation, True
        return None, path_known


def _lower(names: object) -> frozenset[str]:
    if not isinstance(names, list | tuple):
        return frozenset()
    return frozenset(str(name).lower() for name in names)


def load_packaged_spec() -> Spec:
    """The spec shipped with the installed SDK (the one its client was generated from)."""
    from importlib import resources

    text = resources.files("qwen_api_client").joinpath("openapi.json").read_text(encoding="utf-8")
    return Spec(json.loads(text), source="qwen_api_client/openapi.json")


def load_spec(path: str | Path | None = None) -> Spec:
    """The spec at ``path`` (``.json``, or ``.yaml`` with PyYAML installed), else the packaged one."""
    if path is None:
        return load_packaged_spec()
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise SpecError(f"{file}: cannot read the spec ({exc.strerror or exc})") from None
    if file.suffix.lower() == ".json":
        try:
            document = json.loads(text)
        except ValueError as exc:
            raise SpecError(f"{file}: not JSON ({exc})") from None
    else:
        try:
            import yaml
        except ImportError:  # pragma: no cover - PyYAML is a development dependency
            raise SpecError(f"{file}: reading a YAML spec needs PyYAML (pip install pyyaml)") from None
        try:
            document = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise SpecError(f"{file}: not YAML ({exc})") from None
    return Spec(document, source=str(file))
