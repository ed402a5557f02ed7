"""The live check: real calls through the SDK, every answer recorded and validated against the spec.

The client is the SDK itself (``Qwen`` with the user's configuration), given an injected
``httpx.Client`` whose transport records each request and answer on the way through
(:class:`RecordingTransport`): what is validated is exactly what the SDK sent and received. The
steps: the token (expiry read from the JWT), the account (``GET /api/v1/auths/``), the model list,
one tiny completion in a new chat, the deletion of that chat (tried even after a failed completion),
and one upload grant (``getstsToken`` only: nothing is stored).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

import attrs
import httpx

from ._exchange import Exchange
from ._findings import merge_findings
from ._redact import Redactor
from ._report import Report, Step
from ._spec import Spec
from ._validate import Problem, diagnose, validate_exchange

if TYPE_CHECKING:
    from qwen_api._config import ClientConfig
    from qwen_api.client import Qwen
    from qwen_api.core.exceptions import QwenAPIError
    from qwen_api.resources.chats import Conversation

__all__ = ["PROMPT", "RecordingTransport", "run_live"]

PROMPT = "Reply with the single word OK."
_MAX_BODY = 4 * 1024 * 1024


@attrs.define
class _Record:
    method: str
    url: str
    request_headers: tuple[tuple[str, str], ...]
    request_body: bytes
    status: int | None = None
    response_headers: tuple[tuple[str, str], ...] = ()
    chunks: list[bytes] = attrs.Factory(list)


class _TeeStream(httpx.SyncByteStream):
    """The answer's byte stream, handed on unchanged and kept (up to a bound) for validation."""

    def __init__(self, inner: httpx.SyncByteStream, record: _Record) -> None:
        self._inner = inner
        self._record = record
        self._size = 0

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._inner:
            if self._size < _MAX_BODY:
                self._record.chunks.append(chunk)
                self._size += len(chunk)
            yield chunk

    def close(self) -> None:
        self._inner.close()


class RecordingTransport(httpx.BaseTransport):
    """Wraps a transport and records every exchange that passes through it."""

    def __init__(self, inner: httpx.BaseTransport | None = None) -> None:
        self._inner = inner or httpx.HTTPTransport()
        self.records: list[_Record] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        record = _Record(request.method, str(request.url), tuple(request.headers.multi_items()), body)
        self.records.append(record)
        response = self._inner.handle_request(request)
        record.status = response.status_code
        record.response_headers = tuple(response.headers.multi_items())
        assert isinstance(response.stream, httpx.SyncByteStream)
        return httpx.Response(
            response.status_code,
            headers=response.headers,
            stream=_TeeStream(response.stream, record),
            extensions=response.extensions,
            request=request,
        )

    def close(self) -> None:
        self._inner.close()

    def exchanges(self) -> list[Exchange]:
        found = []
        for index, record in enumerate(self.records, start=1):
            raw = b"".join(record.chunks)
            decoded = httpx.Response(200, headers=record.response_headers, stream=httpx.ByteStream(raw))
            try:
                body = decoded.read().decode("utf-8", "replace")
            except httpx.DecodingError:
                body = raw.decode("utf-8", "replace")
            found.append(
                Exchange(
                    index=index,
                    method=record.method,
                    url=record.url,
                    request_headers=record.request_headers,
                    request_body=record.request_body.decode("utf-8", "replace") or None,
                    status=record.status,
                    response_headers=record.response_headers,
                    response_body=body,
                )
            )
        return found


def environment_transport(base_url: str) -> httpx.HTTPTransport:
    """A transport through the proxy the environment names for ``base_url`` (``HTTPS_PROXY``, ``NO_PROXY``...),
    as the SDK's own client would use."""
    import urllib.request
    from urllib.parse import urlsplit

    parts = urlsplit(base_url)
    proxy = urllib.request.getproxies().get(parts.scheme or "https")
    if proxy and not urllib.request.proxy_bypass(parts.hostname or ""):
        return httpx.HTTPTransport(proxy=proxy)
    return httpx.HTTPTransport()


def _jwt_claims(token: str) -> dict[str, Any] | None:
    from qwen_api._auth import jwt_claims

    return jwt_claims(token)


def _describe(exc: BaseException) -> str:
    """The error's class and message, without the ``| status=... | request=...`` details."""
    return f"{type(exc).__name__}: {str(exc).split(' | ', 1)[0]}"


def _token_step(config: ClientConfig, now: float) -> tuple[Step, Problem | None]:
    claims = _jwt_claims(config.api_key)
    if claims is None:
        return Step("token", True, "not a JWT: expiry unknown (the service decides)"), None
    exp = claims.get("exp")
    if not isinstance(exp, int | float) or isinstance(exp, bool):
        return Step("token", True, "a JWT without an expiry"), None
    from qwen_api._auth import format_time

    left = exp - now
    if left > 0:
        return Step("token", True, f"valid until {format_time(exp)} ({int(left // 60)} min left)"), None
    if config.refresh_token:
        detail = f"expired at {format_time(exp)}; the SDK will renew it with the refresh token"
        return Step("token", True, detail), None
    detail = f"expired at {format_time(exp)} and no refresh token is configured"
    return Step("token", False, detail), Problem("expired_token", "token", detail)


def _client(
    config: ClientConfig, transport: RecordingTransport, on_token_refresh: Callable[[str, str | None], None] | None
) -> Qwen:
    from qwen_api.client import client_for

    # trust_env off: httpx would route proxied URLs through its own mounts, around the recorder;
    # the recorder's inner transport takes the environment's proxy instead (see environment_transport)
    http = httpx.Client(transport=transport, timeout=config.timeout, follow_redirects=False, trust_env=False)
    return client_for(config, http_client=http, on_token_refresh=on_token_refresh)


class _Skip(Exception):
    """A step that has nothing to do (its precondition failed in an earlier step)."""


class _Failed(Exception):
    """A step whose call succeeded but whose outcome is wrong (the chat was not deleted)."""


def _stops_everything(exc: QwenAPIError) -> bool:
    from qwen_api.core.exceptions import QwenAuthenticationError, QwenConnectionError, QwenTimeoutError

    return isinstance(exc, QwenAuthenticationError | QwenConnectionError | QwenTimeoutError)


def _run_steps(
    client: Qwen, model: str | None, steps: list[Step], errors: list[QwenAPIError], problems: list[Problem]
) -> None:
    from qwen_api._files import prepare_bytes
    from qwen_api._runtime import runtime_of
    from qwen_api._upload import sts_plan
    from qwen_api.core.exceptions import QwenAPIError

    chosen = model
    conversation: Conversation | None = None

    def account() -> str:
        user = client.account.retrieve()
        return f"signed in (role {user.role or 'unknown'})"

    def models() -> str:
        nonlocal chosen
        listed = client.models.list()
        if chosen is None and listed:
            # a plain text model: the first that lists t2t (ids drift; none is hard-coded)
            chosen = next((m.id for m in listed if "t2t" in m.chat_types and m.is_active), listed[0].id)
        return f"{len(listed)} models"

    def completion() -> str:
        nonlocal conversation
        conversation = client.chats.new(model=chosen or "qwen-max-latest")
        with conversation.send(PROMPT, stream=True, thinking=False) as stream:
            text = "".join(chunk.choices[0].delta.content or "" for chunk in stream if chunk.choices)
        if not text:
            # The SDK read the whole answer and found no text in it: a renamed content field looks
            # exactly like this, so it is a failure to explain, not an OK with 0 characters.
            raise _Failed(f"the answer from {conversation.model} had no text (a renamed or missing field? see below)")
        return f"{len(text)} characters from {conversation.model}"

    def delete_chat() -> str:
        if conversation is None:
            raise _Skip("no chat was created")
        if not conversation.delete():
            raise _Failed(f"the service answered status false: delete chat {conversation.chat_id} by hand")
        return "the test chat was deleted"

    def upload_grant() -> str:
        source = prepare_bytes(b"qwen doctor\n", "qwen-doctor.txt")
        runtime = runtime_of(client)
        grant = runtime.run(sts_plan(runtime, source))
        return f"granted (bucket {grant.bucketname}, region {grant.region or '?'})"

    actions = (
        ("account", account),
        ("models", models),
        ("completion", completion),
        ("chat deletion", delete_chat),
        ("upload grant", upload_grant),
    )
    for name, action in actions:
        if errors and _stops_everything(errors[-1]) and not (name == "chat deletion" and conversation is not None):
            steps.append(Step(name, False, "not tried (see the failure above)", skipped=True))
            continue
        try:
            steps.append(Step(name, True, action()))
        except _Skip as skip:
            steps.append(Step(name, False, str(skip), skipped=True))
        except _Failed as failed:
            steps.append(Step(name, False, str(failed)))
        except QwenAPIError as exc:
            errors.append(exc)
            steps.append(Step(name, False, _describe(exc)))
        except Exception as exc:  # the SDK itself tripped over an answer: report it, do not crash the doctor
            steps.append(Step(name, False, f"the SDK failed: {_describe(exc)}"))
            problems.append(Problem("sdk_error", name, _describe(exc)))


def run_live(
    config: ClientConfig,
    spec: Spec,
    *,
    model: str | None = None,
    now: float | None = None,
    on_token_refresh: Callable[[str, str | None], None] | None = None,
    redactor: Redactor | None = None,
) -> Report:
    """Run the live steps with ``config`` and validate every recorded answer against ``spec``.

    ``on_token_refresh`` receives a renewed token pair (the service rotates refresh tokens, so a
    caller holding them in a file must save the new pair; the CLI does). ``redactor`` learns the
    secrets of every recorded exchange (upload grant keys, renewed tokens) for scrubbing the report.
    """
    from qwen_api.core.exceptions import QwenConnectionError, QwenTimeoutError

    report = Report(mode="live", spec=spec.source, target=config.base_url)
    token_step, token_problem = _token_step(config, time.time() if now is None else now)
    report.steps.append(token_step)
    transport = RecordingTransport(environment_transport(config.base_url))
    errors: list[QwenAPIError] = []
    sdk_problems: list[Problem] = []
    try:
        with _client(config, transport, on_token_refresh) as client:
            _run_steps(client, model, report.steps, errors, sdk_problems)
    finally:
        transport.close()  # a client never closes an http_client it was given: its pool would leak
    exchanges = transport.exchanges()
    if redactor is not None:
        redactor.learn(exchanges)
    report.checked = len(exchanges)
    findings = []
    for exchange in exchanges:
        findings.extend(validate_exchange(spec, exchange, check_request=False))
        problem = diagnose(exchange)
        if problem is not None:
            report.problems.append(problem)
    report.findings = merge_findings(findings)
    if token_problem is not None and not any(p.cause == "expired_token" for p in report.problems):
        report.problems.insert(0, token_problem)
    for exc in errors:
        if isinstance(exc, QwenConnectionError | QwenTimeoutError) and not exc.status_code:
            report.problems.append(Problem("network", "connection", _describe(exc)))
    report.problems.extend(sdk_problems)
    return report


def config_secrets(config: ClientConfig, redactor: Redactor) -> Redactor:
    """Teach ``redactor`` the configured credentials, so no report line can show them."""
    redactor.add_secret(config.api_key)
    redactor.add_cookie_header(config.cookie)
    for value in (config.refresh_token, config.bx_ua, config.bx_umidtoken):
        redactor.add_secret(value)
    headers: Mapping[str, str] = config.default_headers
    for name, value in headers.items():
        if "token" in name.lower() or name.lower() in ("authorization", "cookie"):
            redactor.add_secret(value)
    return redactor
