"""The documented home of the exception hierarchy (``from qwen_api.core.exceptions import ...``).

The classes are defined once, in ``qwen_api._exceptions``; this module only re-exports them so that
code written against the documentation and the older SDK keeps importing from here.
"""

from .. import _exceptions
from .._exceptions import *  # noqa: F403  (every name of _exceptions.__all__, re-exported below)

__all__: list[str] = []
__all__ += _exceptions.__all__
