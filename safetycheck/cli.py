"""The command line: `safetycheck [gui]`, `safetycheck score FILE.json [--json]`.

Bad input gets one line on stderr starting with `error:` and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from safetycheck import __version__
from safetycheck.content import ContentError, load_content
from safetycheck.exchange.assessment_json import ExchangeError
from safetycheck.exchange.result_json import result_to_document
from safetycheck.reports.summary_text import format_summary
from safetycheck.services.scoring import score_file

EXIT_BAD_INPUT = 2


class UsageError(Exception):
    """A problem with what the user asked for; printed as one `error:` line."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage problem is one `error:` line and exit code 2."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="safetycheck",
        description="Home fall-safety walkthrough, fall-risk score and action plan. "
        "Without a command, opens the program.",
    )
    parser.add_argument("--version", action="version", version=f"safetycheck {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.add_parser("gui", help="open the program (the default)")
    score = commands.add_parser(
        "score",
        help="score an assessment file and print the result",
        description="Score an assessment file (docs/interchange.md) and print the level, the "
        "score, the red flags and the reasons.",
    )
    score.add_argument("file", metavar="FILE.json", type=Path, help="an assessment file")
    score.add_argument("--json", action="store_true", help="print one JSON object")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        args = build_parser().parse_args(args_list)
        if args.command == "score":
            return _score(args.file, as_json=args.json)
        return _gui(args_list)
    except (UsageError, ContentError, ExchangeError) as exc:
        print(f"error: {_one_line(str(exc))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130


def _one_line(message: str) -> str:
    return " ".join(message.split())


def _score(path: Path, as_json: bool) -> int:
    content = load_content()
    result, plan = score_file(path, content)
    if as_json:
        json.dump(result_to_document(result, plan), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(format_summary(result, plan))
    return 0


def _gui(argv: list[str]) -> int:
    # The core never imports Qt; the front end is found by name only when it is asked for.
    try:
        app = importlib.import_module("safetycheck_ui.app")
    except ImportError as exc:
        raise UsageError(f"the desktop program cannot start: {exc}") from None
    code: int = app.run(argv)
    return code
