"""How every ``qwen`` command is declared: the help layout and the example block of its ``--help``.

Apart from ``_parser`` so that commands living in their own modules (``qwen doctor``) can declare
themselves the same way without importing the parser that imports them.
"""

from __future__ import annotations

import argparse

__all__ = ["command", "epilog", "formatter"]


def formatter(prog: str) -> argparse.RawDescriptionHelpFormatter:
    return argparse.RawDescriptionHelpFormatter(prog, max_help_position=32)


def epilog(*examples: str) -> str:
    return "example" + ("s" if len(examples) > 1 else "") + ":\n" + "\n".join(f"  {e}" for e in examples)


def command(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    help_text: str,
    description: str,
    epilog: str,
    parents: list[argparse.ArgumentParser],
) -> argparse.ArgumentParser:
    return subparsers.add_parser(
        name,
        help=help_text,
        description=description,
        epilog=epilog,
        formatter_class=formatter,
        parents=parents,
    )
