"""Import path of the older SDK for the upload result."""

from ...types.files import FileResult

__all__ = ["FileResult"]
