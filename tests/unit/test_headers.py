"""The browser identity's per-request parts: ids that look like the browser's ``crypto.randomUUID()``."""

from __future__ import annotations

import uuid

import pytest

from qwen_api import Qwen
from qwen_api._headers import random_uuid
from qwen_api._request_specs import completion_spec
from qwen_api._turn_options import TurnOptions


@pytest.mark.parametrize("_", range(200))
def test_random_uuid_is_a_canonical_version_4_uuid(_: int) -> None:
    text = random_uuid()
    parsed = uuid.UUID(text)
    assert str(parsed) == text  # lower-case, dashed, 36 characters
    assert parsed.version == 4 and parsed.variant == uuid.RFC_4122


def test_ids_differ_per_request_and_per_message() -> None:
    with Qwen(api_key="tok", base_url="http://127.0.0.1:9") as client:
        specs = [
            completion_spec(
                client._config, client._headers, chat_id="c1", parent_id=None, text="hi", options=TurnOptions(model="m")
            )
            for _ in range(50)
        ]
    ids = set()
    for spec in specs:
        assert isinstance(spec.json, dict)
        message = spec.json["messages"][0]
        ids.update({spec.headers["X-Request-Id"], message["fid"], message["childrenIds"][0]})
    assert len(ids) == 150
