"""``client.images``: text-to-image over the service's ``t2i`` chat type."""

from __future__ import annotations

from .._messages import validate_prompt
from .._stream_parser import StreamState
from .._turns import Turn, collect_turn
from ..types.images import GeneratedImage, ImagesResponse
from ..types.params import ImageSize
from ._base import Resource
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

    def generate(self, prompt: str, model: str = "qwen-max-latest", size: ImageSize = "1:1") -> ImagesResponse:
        """Generate images for ``prompt``; returns their URLs and sizes."""
        state = self._run(collect_turn(self._client._turn_ctx, self._turn(prompt, model, size)))
        return _images(state, state.image_sizes)

    async def agenerate(self, prompt: str, model: str = "qwen-max-latest", size: ImageSize = "1:1") -> ImagesResponse:
        state = await self._arun(collect_turn(self._client._turn_ctx, self._turn(prompt, model, size)))
        return _images(state, state.image_sizes)
