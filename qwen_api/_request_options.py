"""Per-request options (``timeout=``, ``extra_headers=``, ``extra_query=``, ``extra_body=``) and the
recording behind ``with_raw_response``.

Why a plan wrapper: every call is a plan that yields the requests it needs (see ``_engine``). Options
apply by rewriting those requests on their way to the driver, and the responses are observed on
their way back, so neither the plans nor the drivers know about options at all.
"""

from __future__ import annotations

import contextlib
import contextvars
import urllib.parse
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, TypeVar

import attrs

from ._config import check_headers
from ._engine import OpenStream, Plan, RawResponse, RequestSpec, Send, StreamHandle
from ._inputs import check_text, short_repr
from ._transport import call_timeout

if TYPE_CHECKING:
    import httpx

    from .types.params import JSONValue

T = TypeVar("T")

TURN_OPERATIONS = frozenset({"chat.completions"})
"""The request that carries a chat turn: ``extra_body`` goes into it, not into ``chats/new``."""


@attrs.define
class ResponseRecorder:
    """What ``with_raw_response`` reports: the last response of the call's main request."""

    operations: frozenset[str] | None = None
    status_code: int = 0
    headers: Mapping[str, str] = attrs.field(factory=dict)
    url: str = ""
    method: str = ""
    content: bytes = b""
    attempts: int = 0

    def observe(self, spec: RequestSpec, result: object) -> None:
        """Keep ``result`` when it answers one of the recorded operations."""
        if self.operations is not None and spec.operation not in self.operations:
            return
        if isinstance(result, RawResponse):
            self.status_code, self.headers, self.url, self.content = (
                result.status,
                result.headers,
                result.url,
                result.content,
            )
        elif isinstance(result, StreamHandle):
            self.status_code, self.headers, self.url, self.content = result.status, result.headers, result.url, b""
        else:
            return
        self.method = spec.method
        self.attempts += 1


@attrs.frozen
class RequestOptions:
    """Options of one call; see :func:`build_options`."""

    timeout: httpx.Timeout | None = None
    extra_headers: Mapping[str, str] = attrs.field(factory=dict)
    extra_query: Mapping[str, str] = attrs.field(factory=dict)
    extra_body: Mapping[str, JSONValue] = attrs.field(factory=dict)
    body_operations: frozenset[str] | None = None
    """Requests (by operation name) that get ``extra_body``; None: every request with a JSON object body."""
    recorder: ResponseRecorder | None = None

    def merged(self, inner: RequestOptions) -> RequestOptions:
        """These options overridden by ``inner`` (a call's own options inside a scoped client)."""
        return RequestOptions(
            timeout=inner.timeout if inner.timeout is not None else self.timeout,
            extra_headers={**self.extra_headers, **inner.extra_headers},
            extra_query={**self.extra_query, **inner.extra_query},
            extra_body={**self.extra_body, **inner.extra_body},
            body_operations=inner.body_operations if inner.body_operations is not None else self.body_operations,
            recorder=inner.recorder or self.recorder,
        )

    def rewrite(self, spec: RequestSpec) -> RequestSpec:
        headers, url, body = spec.headers, spec.url, spec.json
        if self.extra_headers:
            lowered = {name.lower() for name in self.extra_headers}
            headers = {k: v for k, v in spec.headers.items() if k.lower() not in lowered}
            headers.update(self.extra_headers)
        if self.extra_query:
            url = _with_query(url, self.extra_query)
        wants_body = self.body_operations is None or spec.operation in self.body_operations
        if self.extra_body and wants_body and (body is None or isinstance(body, dict)):
            # A request without a body (a GET, a DELETE) gets ``extra_body`` as its JSON body, as
            # openai-python does: dropping it would hide the caller's fields without a word.
            body = {**(body or {}), **self.extra_body}
        if headers is spec.headers and url == spec.url and body is spec.json:
            return spec
        return attrs.evolve(spec, headers=headers, url=url, json=body)


def _with_query(url: str, extra: Mapping[str, str]) -> str:
    """``url`` with ``extra`` set in its query: a name the call already sends is replaced, not
    repeated (a second ``chat_id=`` would leave the service to pick one)."""
    base, _, query = url.partition("?")
    kept = [part for part in query.split("&") if part and urllib.parse.unquote_plus(part.split("=")[0]) not in extra]
    return base + "?" + "&".join([*kept, urllib.parse.urlencode(dict(extra))])


def _string_map(name: str, value: object) -> dict[str, str]:
    """``extra_query``: strings (or numbers) by name; the URL encoding makes any text safe. Errors
    name the key, never the value (a query can carry a signature)."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise TypeError(f"{name} must be a mapping of strings, got {type(value).__name__}")
    result: dict[str, str] = {}
    for key, item in value.items():
        if not isinstance(key, str):
            raise TypeError(f"{name} must map strings to strings (or numbers), got a {type(key).__name__} key")
        if not isinstance(item, str | int | float) or isinstance(item, bool):
            raise TypeError(f"{name}[{short_repr(key)}] must be a string or a number, got {type(item).__name__}")
        result[check_text(f"{name} key", key)] = check_text(f"{name}[{short_repr(key)}]", str(item))
    return result


def _check_json_text(name: str, value: object) -> None:
    """Every string of an ``extra_body`` value, keys too, is text UTF-8 can carry: found while the
    body is encoded, a lone surrogate would fail the turn after its chat was made upstream."""
    if isinstance(value, str):
        check_text(name, value)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            if isinstance(key, str):
                check_text(f"{name} key", key)
            _check_json_text(name, item)
    elif isinstance(value, list | tuple):
        for item in value:
            _check_json_text(name, item)


def build_options(
    *,
    timeout: object = None,
    extra_headers: object = None,
    extra_query: object = None,
    extra_body: object = None,
    body_operations: frozenset[str] | None = None,
) -> RequestOptions | None:
    """Validated options of one call, or None when the caller gave none (the common, free case)."""
    if timeout is None and extra_headers is None and extra_query is None and extra_body is None:
        return None
    if extra_body is not None and not isinstance(extra_body, Mapping):
        raise TypeError(f"extra_body must be a mapping (a JSON object), got {type(extra_body).__name__}")
    body: dict[str, JSONValue] = {}
    for key, value in (extra_body or {}).items():
        if not isinstance(key, str):
            raise TypeError(f"extra_body keys must be strings, got {key!r}")
        _check_json_text(f"extra_body[{short_repr(check_text('extra_body key', key))}]", value)
        body[key] = value
    return RequestOptions(
        timeout=call_timeout(timeout),
        extra_headers=check_headers("extra_headers", extra_headers, numbers=True),
        extra_query=_string_map("extra_query", extra_query),
        extra_body=body,
        body_operations=body_operations,
    )


_CALL: contextvars.ContextVar[tuple[object, RequestOptions] | None] = contextvars.ContextVar(
    "qwen_api_call_options", default=None
)
"""The options of the call in progress and the client making it. A context variable rather than a
copy of the client: each thread and each asyncio task sees only its own call's options."""


@contextlib.contextmanager
def call_scope(client: object, options: RequestOptions | None) -> Iterator[None]:
    """Within the block, requests ``client`` runs carry ``options`` (merged over the enclosing call's)."""
    if options is None:
        yield
        return
    outer = _CALL.get()
    if outer is not None and outer[0] is client:
        options = outer[1].merged(options)
    token = _CALL.set((client, options))
    try:
        yield
    finally:
        _CALL.reset(token)


def current_options(client: object) -> RequestOptions | None:
    """The options of the call ``client`` is making, if any (another client's call does not count)."""
    current = _CALL.get()
    return current[1] if current is not None and current[0] is client else None


def with_request_options(plan: Plan[T], options: RequestOptions) -> Plan[T]:
    """``plan`` with every request rewritten by ``options`` and every response shown to its recorder.

    A faithful delegate: values and exceptions the driver sends in go to ``plan`` unchanged, so
    retries, refreshes and error mapping behave exactly as without options.
    """
    recorder = options.recorder
    try:
        effect = next(plan)
        while True:
            spec: RequestSpec | None = None
            if isinstance(effect, Send | OpenStream):
                spec = options.rewrite(effect.spec)
                effect = Send(spec) if isinstance(effect, Send) else OpenStream(spec)
            try:
                result = yield effect
            except GeneratorExit:
                plan.close()
                raise
            except BaseException as error:
                effect = plan.throw(error)
                continue
            if recorder is not None and spec is not None:
                recorder.observe(spec, result)
            effect = plan.send(result)
    except StopIteration as stop:
        value: T = stop.value
        return value
