"""No ``Any`` in a public signature or attribute of the SDK (issue 17): ``Any`` lets a typo through
the type checker (``response_format={"type": "yaml"}`` passed mypy while ``tools`` and
``response_format`` were ``Mapping[str, Any]``). The gateway, the local server, the CLI and the
doctor are applications, not the SDK's API, and are left out; so are private modules and names.
"""

from __future__ import annotations

import re
from pathlib import Path

import griffe

ROOT = Path(__file__).resolve().parents[2]
APPLICATIONS = {"testing", "gateway", "cli", "doctor"}
ANY = re.compile(r"\bAny\b")


def _public_any(obj: griffe.Object, found: list[str]) -> None:
    for name, member in obj.members.items():
        if isinstance(member, griffe.Alias):
            continue
        if name.startswith("_") and not (name.startswith("__") and name.endswith("__")):
            continue
        if member.is_module and name in APPLICATIONS:
            continue
        if isinstance(member, griffe.Function):
            annotations = [str(parameter.annotation) for parameter in member.parameters] + [str(member.returns)]
            if any(ANY.search(text) for text in annotations):
                found.append(member.path)
        elif isinstance(member, griffe.Attribute) and ANY.search(str(member.annotation)):
            found.append(member.path)
        if member.is_class or member.is_module:
            _public_any(member, found)


def test_no_any_in_public_signatures_or_attributes() -> None:
    package = griffe.load("qwen_api", search_paths=[str(ROOT)], allow_inspection=False)
    assert isinstance(package, griffe.Module)
    found: list[str] = []
    _public_any(package, found)
    assert found == []
