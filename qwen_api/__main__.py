"""``python -m qwen_api``: the ``qwen`` command line."""

import sys

from qwen_api.cli import main

if __name__ == "__main__":
    sys.exit(main())
