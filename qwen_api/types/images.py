"""Generated images."""

from __future__ import annotations

import attrs

from ._serialize import Serializable

__all__ = ["GeneratedImage", "ImagesResponse"]


@attrs.define(slots=True)
class GeneratedImage(Serializable):
    """One generated image: its URL and, when the service said, its size in pixels."""

    url: str
    width: int | None = None
    height: int | None = None


@attrs.define(slots=True)
class ImagesResponse(Serializable):
    """The result of ``client.images.generate()``: ``data`` (one per image) and ``urls``."""

    data: list[GeneratedImage]
    chat_id: str | None = None
    response_id: str | None = None
    model: str | None = None

    @property
    def urls(self) -> list[str]:
        """The URLs of the images, in order."""
        return [image.url for image in self.data]
