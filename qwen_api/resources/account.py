"""``client.account``: who is signed in (also a cheap way to check that the credentials work)."""

from __future__ import annotations

from typing import Any

from qwen_api_client.api.account import get_session_user
from qwen_api_client.models import SessionUser

from .._core import Plan, json_call
from .._wire import _spec
from ..types.account import Account
from ._base import Resource


def _parse(body: Any) -> Account:
    if isinstance(body, dict) and isinstance(body.get("data"), dict) and "success" in body:
        body = body["data"]  # tolerate an enveloped answer
    return Account.from_wire(SessionUser.from_dict(body).to_dict())


class AccountResource(Resource):
    def _plan(self) -> Plan[Account]:
        client = self._client
        spec = _spec(get_session_user._get_kwargs(), client._config.base_url, client._headers.for_request("/"), "auths")
        return (yield from json_call(spec, _parse, client._policy))

    def retrieve(self) -> Account:
        """The signed-in user; raises ``QwenAuthenticationError`` when the token is refused."""
        return self._run(self._plan())

    async def aretrieve(self) -> Account:
        return await self._arun(self._plan())
