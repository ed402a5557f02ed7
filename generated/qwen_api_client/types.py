"""What every operation module shares: the unset marker, the built request, and the query rule.

Each module under ``api/`` has a public ``build_request(...)`` that returns a :class:`Request`
(method, path, query string, the spec's headers, the JSON body) and, where the spec gives the
success answer a JSON body, a public ``parse_response(data)`` that turns the decoded JSON into the
generated model. Sending is the caller's job: this package does no I/O and imports no HTTP
library (template: spec/templates/types.py.jinja).
"""

import urllib.parse
from collections.abc import Mapping
from typing import Any, Literal

from attrs import define


class Unset:
    def __bool__(self) -> Literal[False]:
        return False


UNSET: Unset = Unset()


def encode_query(params: Mapping[str, object]) -> str:
    """The query string for ``params``, the one rule for every operation (OpenAPI ``style: form``).

    Unset and ``None`` values are left out; booleans are ``true`` / ``false``, as the web client
    sends them (``?page=1&exclude_project=true`` in the recordings); strings and numbers are
    their ``str()``; names and values are percent-encoded (``application/x-www-form-urlencoded``).
    A value of any other type is refused: the spec declares no such query parameter.
    """
    pairs: list[tuple[str, str]] = []
    for name, value in params.items():
        if value is None or isinstance(value, Unset):
            continue
        if isinstance(value, bool):
            pairs.append((name, "true" if value else "false"))
        elif isinstance(value, str | int | float):
            pairs.append((name, str(value)))
        else:
            raise TypeError(f"query parameter {name!r} cannot be {type(value).__name__}")
    return urllib.parse.urlencode(pairs)


@define(frozen=True)
class Request:
    """One request as the spec describes it; the caller adds the host and its own headers, then sends it."""

    method: str
    """Upper case, e.g. ``POST``."""
    path: str
    """The path with its parameters filled in and percent-encoded, e.g. ``/api/v2/chats/abc``."""
    query: str
    """The encoded query string without ``?`` (empty when there is none), see :func:`encode_query`."""
    headers: dict[str, str]
    """The header parameters the spec declares (with their defaults) and the body's ``Content-Type``."""
    json: Any = None
    """The JSON body (the request model's ``to_dict()``), or None when the operation has no body."""

    @property
    def target(self) -> str:
        """The path and, when there is one, ``?`` and the query string."""
        return f"{self.path}?{self.query}" if self.query else self.path


__all__ = ["UNSET", "Request", "Unset", "encode_query"]
