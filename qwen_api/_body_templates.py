"""Prepared requests: a generated builder runs once per request shape, each call fills in its values.

Building a turn through the generated client (five attrs models, their ``to_dict``, the operation's
``build_request``) is most of the SDK's own work in a short call, yet from one turn to the next only a
few values change: ids, the text, the time. So the builder is run once with *marker* values, the places
where the markers landed in the JSON (and the query) are recorded, and every call copies only the
containers on those paths and puts its values there; everything else is shared, read-only.

The markers are found by value, not by field name: a spec change that renames or moves a field moves
the filled place with it, and ``make generate`` stays the only step. A marker that does not land as a
whole value (a builder that formats or wraps it) makes :meth:`RequestTemplate.prepare` decline, and the
caller builds every request in full, as it would without templates.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Mapping
from typing import Any

from qwen_api_client.types import Request

__all__ = ["RequestTemplate"]

_Plan = dict[Any, Any]
"""Per container on a marker path: key (or index) -> the marker's name, or the plan one level down."""


class RequestTemplate:
    """One prepared :class:`~qwen_api_client.types.Request` whose marked values are filled per call."""

    __slots__ = ("_plan", "_query_markers", "request")

    def __init__(self, request: Request, plan: _Plan, query_markers: dict[str, str]) -> None:
        self.request = request
        """The request the builder made with the markers (method, path and header parameters are used as is)."""
        self._plan = plan
        self._query_markers = query_markers

    @classmethod
    def prepare(cls, request: Request, markers: Mapping[str, str | int]) -> RequestTemplate | None:
        """The template of ``request``, built with ``markers`` (name -> unique marker value), or None
        when a marker did not come through as a whole JSON value or a whole query value."""
        plan: _Plan = {}
        found = _mark(request.json, markers, plan)
        dumped = json.dumps(request.json)
        for name, marker in markers.items():
            if dumped.count(str(marker)) != found.get(name, 0):
                return None  # the marker also sits inside another value or a key: it was transformed
        query = request.query
        query_values = [value for _, value in urllib.parse.parse_qsl(query, keep_blank_values=True)]
        query_markers = {}
        for name, marker in markers.items():
            if not isinstance(marker, str):
                if str(marker) in query:
                    return None  # (numbers are filled in the body only)
            elif urllib.parse.quote_plus(marker) != marker:
                return None  # a marker must pass URL encoding unchanged, or it could not be found again
            elif marker in query:
                if query.count(marker) != query_values.count(marker):
                    return None  # part of a longer query value
                query_markers[name] = marker
        return cls(request, plan, query_markers)

    def json(self, values: Mapping[str, Any]) -> Any:
        """A fresh body with ``values`` (by marker name) in place of the markers; the unmarked parts
        are shared with the template, so the result must not be mutated in place."""
        body = self.request.json
        return _fill(body, self._plan, values) if self._plan else body

    def query(self, values: Mapping[str, Any]) -> str:
        """The query string with ``values`` in place of the markers (form-encoded as the builder does)."""
        query = self.request.query
        for name, marker in self._query_markers.items():
            query = query.replace(marker, urllib.parse.quote_plus(str(values[name])))
        return query

    def target(self, values: Mapping[str, Any]) -> str:
        """The path and, when there is one, ``?`` and the filled query string."""
        query = self.query(values)
        return f"{self.request.path}?{query}" if query else self.request.path


def _mark(node: Any, markers: Mapping[str, str | int], plan: _Plan) -> dict[str, int]:
    """Record in ``plan`` where each marker sits under ``node``; returns how often each was found."""
    found: dict[str, int] = {}
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, value in items:
        if isinstance(value, dict | list):
            below: _Plan = {}
            for name, count in _mark(value, markers, below).items():
                found[name] = found.get(name, 0) + count
            if below:
                plan[key] = below
            continue
        for name, marker in markers.items():
            if type(value) is type(marker) and value == marker:
                plan[key] = name
                found[name] = found.get(name, 0) + 1
                break
    return found


def _fill(node: Any, plan: _Plan, values: Mapping[str, Any]) -> Any:
    copy: Any = dict(node) if isinstance(node, dict) else list(node)
    for key, step in plan.items():
        copy[key] = values[step] if isinstance(step, str) else _fill(node[key], step, values)
    return copy
