"""``qwen doctor``: find out exactly what changed when the Qwen Chat service changes.

Pure parts (no I/O): :func:`validate_exchange` compares one request/answer pair with the spec and
returns :class:`Finding` objects (field path, exchange, kind); :func:`diagnose` names the likely
cause of a failed answer. Around them: reading a browser HAR export (:func:`read_har_exchanges`),
writing its exchanges as redacted test fixtures (:mod:`._fixtures`), and the live check through
the SDK (:mod:`._live`). The spec is the one shipped with the package (:func:`load_spec`).
"""

from __future__ import annotations

from ._exchange import Exchange, HarFileError, exchanges_from_har, har_document, read_har_exchanges, sse_events
from ._findings import KINDS, Finding, merge_findings
from ._spec import Spec, SpecError, load_packaged_spec, load_spec
from ._validate import CAUSES, Problem, diagnose, is_qwen_exchange, validate_exchange

__all__ = [
    "CAUSES",
    "KINDS",
    "Exchange",
    "Finding",
    "HarFileError",
    "Problem",
    "Spec",
    "SpecError",
    "diagnose",
    "exchanges_from_har",
    "har_document",
    "is_qwen_exchange",
    "load_packaged_spec",
    "load_spec",
    "merge_findings",
    "read_har_exchanges",
    "sse_events",
    "validate_exchange",
]
