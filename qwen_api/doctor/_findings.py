"""What the doctor reports: one :class:`Finding` per difference between the wire and the spec.

A finding names *where* (the exchange it came from, the part of the exchange, and a field path
with list indexes and map keys folded to ``[]`` and ``*``, so a change seen in every stream event
is one finding with a count) and *what* (a kind from :data:`KINDS`, a one-line message). It never
holds a value from the wire except enum-like values the spec lists (phases, roles, error codes),
so a report can be shared without leaking a token.
"""

from __future__ import annotations

from typing import Any

import attrs

__all__ = ["ADDITIVE_KINDS", "KINDS", "Finding", "merge_findings"]

KINDS: dict[str, str] = {
    "new_endpoint": "an endpoint (path or method) the spec does not describe",
    "unknown_status": "an HTTP status the spec does not list for this endpoint",
    "new_field": "a field the spec does not describe",
    "missing_field": "a field the spec marks as required is absent",
    "vanished_field": "a field the spec marks x-expected (sent in every answer, read by the SDK) is absent "
    "from a whole answer, or from every event of a stream",
    "type_changed": "a value of another JSON type than the spec says",
    "new_value": "a value outside the spec's known values (x-known-values or enum)",
    "new_phase": "a stream phase the spec does not list",
    "new_event_shape": "a stream event that matches none of the spec's event kinds, or an SSE field "
    "other than data: (a named event, an id, a retry)",
    "new_header": "a header the spec does not describe",
    "new_query_parameter": "a query parameter the spec does not describe",
    "unexpected_content_type": "a body of a media type the spec does not list for this answer",
    "unreadable_body": "a body that is not the JSON or event stream its content type says",
}


#: Kinds the SDK survives (it keeps unknown fields and values; extra headers do not matter to it):
#: the spec should learn them, but nothing is broken yet. Every other kind may break a call.
ADDITIVE_KINDS = frozenset({"new_field", "new_value", "new_header", "new_query_parameter"})


@attrs.frozen
class Finding:
    """One drift: ``kind`` (see :data:`KINDS`), where it was seen, and a readable message."""

    kind: str
    exchange: str
    """Which exchange: ``#<n> <METHOD> <path>`` (no query string, which may hold ids or keys)."""
    location: str
    """``endpoint``, ``request.headers``, ``request.query``, ``request.body``, ``response.status``,
    ``response.headers``, ``response.body`` or ``response.events``."""
    path: str
    """The field path, e.g. ``choices[].delta.phase``; a header or parameter name; ``""`` for the whole."""
    message: str
    operation: str | None = None
    schema: str | None = None
    """The spec component the value was checked against (``#/components/schemas/Delta``), when known."""
    count: int = 1
    first_event: int | None = None
    """For stream events: the index of the first event (0 = the first ``data:`` line) showing it."""

    @property
    def breaking(self) -> bool:
        """Whether this kind of change may break the SDK (see :data:`ADDITIVE_KINDS`)."""
        return self.kind not in ADDITIVE_KINDS

    def to_dict(self) -> dict[str, Any]:
        """The finding as JSON (``qwen doctor --json``), with whether it is breaking."""
        return {**attrs.asdict(self), "breaking": self.breaking}

    @property
    def key(self) -> tuple[str, str, str, str, str]:
        return (self.exchange, self.location, self.kind, self.path, self.message)


def merge_findings(findings: list[Finding]) -> list[Finding]:
    """Equal findings (same exchange, place, kind, path and message) become one with a count."""
    merged: dict[tuple[str, str, str, str, str], Finding] = {}
    for finding in findings:
        seen = merged.get(finding.key)
        if seen is None:
            merged[finding.key] = finding
        else:
            merged[finding.key] = attrs.evolve(seen, count=seen.count + finding.count)
    return list(merged.values())
