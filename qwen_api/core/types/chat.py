"""Documented import path ``qwen_api.core.types.chat`` (same objects as ``qwen_api.types.chat``)."""

from ...types.chat import *  # noqa: F403
from ...types.chat import __all__ as __all__
