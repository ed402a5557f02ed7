"""Completion types: the prompt-in, text-out API (``client.completion.create``)."""

from __future__ import annotations

import attrs

from ._serialize import Serializable
from .chat import ChoiceList, Usage, WebSearchInfo

__all__ = ["CompletionChoice", "CompletionResponse"]


@attrs.define(slots=True)
class CompletionChoice(Serializable):
    """``response.choices[0].text``; reasoning, when the model thought first, is kept apart."""

    text: str
    index: int = 0
    finish_reason: str | None = "stop"
    reasoning_content: str | None = None
    web_search_info: list[WebSearchInfo] = attrs.field(factory=list)


@attrs.define(slots=True)
class CompletionResponse(Serializable):
    """The answer of ``client.completion.create(prompt=...)``: ``response.choices[0].text``."""

    choices: ChoiceList[CompletionChoice]
    usage: Usage | None = None
    id: str | None = None
    chat_id: str | None = None
    model: str | None = None
    created: int | None = None
    request_id: str | None = None

    @property
    def response_id(self) -> str | None:
        """The service's id of this answer (the same as ``id``; a later turn's ``parent_id``)."""
        return self.id

    @property
    def text(self) -> str:
        """The first choice's text (``choices[0].text``)."""
        return self.choices[0].text if self.choices else ""
