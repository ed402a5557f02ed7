"""``client.images``: text-to-image over the service's ``t2i`` chat type."""

from __future__ import annotations

from typing import TYPE_CHECKING, Unpack

from .._messages import validate_prompt
from .._request_options import TURN_OPERATIONS
from .._stream_parser import StreamState
from .._turns import Turn, collect_turn
from ..types.images import GeneratedImage, ImagesResponse
from ..types.params import ImageSize, RequestOptionsParam
from ._base import Resource, options

if TYPE_CHECKING:
    from ._raw import ImagesWithRawResponse
from ._options import turn_options, validate_model, validate_size


def _images(state: StreamState, sizes: list[list[int]]) -> ImagesResponse:
    data = []
    for index, url in enumerate(state.images):
        height = width = None
        if index < len(sizes) and len(sizes[index]) == 2:
            height, width = sizes[index]
        data.append(GeneratedImage(url, width, height))
    return ImagesResponse(data, state.chat_id, state.response_id, state.model)


class Images(Resource):
    """``client.images``: text to image (the service's ``t2i`` chat type)."""

    @property
    def with_raw_response(self) -> ImagesWithRawResponse:
        """These methods returning a :class:`~qwen_api.RawResponse` (HTTP status, headers, ``.parse()``)."""
        from ._raw import ImagesWithRawResponse

        return ImagesWithRawResponse(self, self._runtime.scope)

    def _turn(self, prompt: object, model: object, size: object) -> Turn:
        options = turn_options(
            model=validate_model(model),
            thinking=None,
            thinking_mode=None,
            web_search=None,
            temperature=None,
            max_tokens=None,
            chat_type="t2i",
            size=validate_size(size),
        )
        return Turn(validate_prompt(prompt), options)

    def generate(
        self,
        prompt: str,
        model: str = "qwen-max-latest",
        size: ImageSize = "1:1",
        **request_options: Unpack[RequestOptionsParam],
    ) -> ImagesResponse:
        """Generate images for ``prompt``; returns their URLs and sizes.

        Args:
            prompt: what to draw.
            model: a model id or alias (default ``"qwen-max-latest"``).
            size: the aspect ratio: ``"1:1"`` (default), ``"3:4"``, ``"4:3"``, ``"16:9"`` or ``"9:16"``.
            **request_options: per-call options (``timeout=``, ``extra_headers=``, ``extra_query=``,
                ``extra_body=``; :class:`~qwen_api.types.RequestOptionsParam`), as in
                :meth:`qwen_api.resources.chat.Chat.create`.

        Raises:
            ValueError: an unknown ``size`` or an empty prompt (nothing is sent).
            QwenAPIError: the service refused or failed (see :meth:`Chat.create`).
        """
        state = self._run(
            collect_turn(self._runtime.turn_ctx, self._turn(prompt, model, size)),
            options(request_options, body_operations=TURN_OPERATIONS),
        )
        return _images(state, state.image_sizes)

    async def agenerate(
        self,
        prompt: str,
        model: str = "qwen-max-latest",
        size: ImageSize = "1:1",
        **request_options: Unpack[RequestOptionsParam],
    ) -> ImagesResponse:
        """Async :meth:`generate`."""
        state = await self._arun(
            collect_turn(self._runtime.turn_ctx, self._turn(prompt, model, size)),
            options(request_options, body_operations=TURN_OPERATIONS),
        )
        return _images(state, state.image_sizes)
