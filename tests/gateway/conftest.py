"""The gateway in front of the local Qwen server, both on real loopback sockets.

``gateway_factory(accounts=[...], **options)`` writes an accounts file and starts ``qwen serve``'s app
in a thread (uvicorn on port 0, ready when its socket is); ``validate(name, payload)`` checks a
payload against the pinned OpenAI OpenAPI schemas (tests/fixtures/openai-openapi).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import openai
import pytest

from qwen_api.gateway.server import RunningGateway, ServeOptions, serve
from qwen_api.testing import RunningServer
from qwen_api.testing import serve as serve_upstream

SCHEMAS = json.loads(
    (Path(__file__).parent.parent / "fixtures" / "openai-openapi" / "schemas.json").read_text(encoding="utf-8")
)["$defs"]
_VALIDATORS: dict[str, jsonschema.protocols.Validator] = {}


def validate(name: str, payload: Any) -> None:
    """Fail unless ``payload`` is a valid OpenAI ``name`` object (e.g. CreateChatCompletionResponse)."""
    validator = _VALIDATORS.get(name)
    if validator is None:
        schema = {"$ref": f"#/$defs/{name}", "$defs": SCHEMAS}
        validator = _VALIDATORS[name] = jsonschema.Draft202012Validator(schema)
    validator.validate(payload)


def sse_payloads(response: httpx.Response) -> list[str]:
    """The ``data:`` payloads of an SSE response, in order (``[DONE]`` included)."""
    return [line[6:] for line in response.iter_lines() if line.startswith("data: ")]


TOKEN = "gateway-test-token"


@pytest.fixture
def upstream() -> Iterator[RunningServer]:
    with serve_upstream() as server:
        yield server


GatewayFactory = Callable[..., RunningGateway]


@pytest.fixture
def gateway_factory(upstream: RunningServer, tmp_path: Path) -> Iterator[GatewayFactory]:
    with contextlib.ExitStack() as stack:

        def factory(accounts: list[dict[str, Any]] | None = None, **options: Any) -> RunningGateway:
            file = tmp_path / f"accounts-{len(list(tmp_path.iterdir()))}.json"
            file.write_text(json.dumps(accounts or [{"name": "main", "auth_token": TOKEN}]), encoding="utf-8")
            settings = {"port": 0, "base_url": upstream.url, "accounts_file": str(file), "max_retries": 0, **options}
            return stack.enter_context(serve(ServeOptions(**settings)))

        yield factory


@pytest.fixture
def gateway(gateway_factory: GatewayFactory) -> RunningGateway:
    return gateway_factory()


def schema_for(path: str, status: int) -> str | None:
    """The OpenAI schema a JSON answer on ``path`` must follow (None for paths we do not check)."""
    if status >= 400:
        return "ErrorResponse"
    if path.endswith("/chat/completions"):
        return "CreateChatCompletionResponse"
    if path.endswith("/models"):
        return "ListModelsResponse"
    if "/models/" in path:
        return "Model"
    if path.endswith("/images/generations"):
        return "ImagesResponse"
    return None


def validate_response(response: httpx.Response) -> None:
    """httpx response hook: every JSON answer the openai client gets is checked against the schemas
    (streams are checked chunk by chunk in the tests that read them raw)."""
    if not response.headers.get("content-type", "").startswith("application/json"):
        return
    response.read()
    name = schema_for(response.url.path, response.status_code)
    if name is not None:
        validate(name, response.json())


async def avalidate_response(response: httpx.Response) -> None:
    if not response.headers.get("content-type", "").startswith("application/json"):
        return
    await response.aread()
    name = schema_for(response.url.path, response.status_code)
    if name is not None:
        validate(name, response.json())


@pytest.fixture
def client(gateway: RunningGateway) -> Iterator[openai.OpenAI]:
    http_client = httpx.Client(event_hooks={"response": [validate_response]}, timeout=60)
    with openai.OpenAI(base_url=gateway.base_url, api_key="unused", max_retries=0, http_client=http_client) as c:
        yield c


@pytest.fixture
def http(gateway: RunningGateway) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=gateway.url, timeout=30) as c:
        yield c


def completions_posts(server: RunningServer) -> list[Any]:
    return server.state.requests_to("/api/v2/chat/completions", "POST")


def new_chats(server: RunningServer) -> int:
    return len(server.state.requests_to("/api/v2/chats/new", "POST"))
