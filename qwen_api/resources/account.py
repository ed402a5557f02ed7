"""``client.account``: who is signed in (also a cheap way to check that the credentials work)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Unpack

from qwen_api_client.api.account import get_session_user

from .._engine import Plan, json_call
from .._request_specs import request_spec
from ..types.account import Account
from ..types.params import RequestOptionsParam
from ._base import Resource, options

if TYPE_CHECKING:
    from ._raw import AccountResourceWithRawResponse


def _parse(body: Any) -> Account:
    if isinstance(body, dict) and isinstance(body.get("data"), dict) and "success" in body:
        body = body["data"]  # tolerate an enveloped answer
    if not isinstance(body, dict):
        raise TypeError(f"the session user is {type(body).__name__}, not an object")
    return Account.from_wire(body)  # parsed once, from the JSON: Account keeps every field in ``raw``


class AccountResource(Resource):
    """``client.account``: who is signed in (also a cheap check that the credentials work)."""

    @property
    def with_raw_response(self) -> AccountResourceWithRawResponse:
        """These methods returning a :class:`~qwen_api.RawResponse` (HTTP status, headers, ``.parse()``)."""
        from ._raw import AccountResourceWithRawResponse

        return AccountResourceWithRawResponse(self, self._runtime.scope)

    def _plan(self) -> Plan[Account]:
        runtime = self._runtime
        request = get_session_user.build_request()
        spec = request_spec(request, runtime.config.base_url, runtime.headers.for_request("/"), "auths")
        return (yield from json_call(spec, _parse, runtime.policy))

    def retrieve(
        self,
        **request_options: Unpack[RequestOptionsParam],
    ) -> Account:
        """The signed-in user; raises ``QwenAuthenticationError`` when the token is refused."""
        return self._run(
            self._plan(),
            options(request_options),
        )

    async def aretrieve(
        self,
        **request_options: Unpack[RequestOptionsParam],
    ) -> Account:
        """Async :meth:`retrieve`."""
        return await self._arun(
            self._plan(),
            options(request_options),
        )
