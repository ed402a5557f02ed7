"""``python -m qwen_api.cli``: same as ``qwen``."""

import sys

from . import main

if __name__ == "__main__":
    sys.exit(main())
