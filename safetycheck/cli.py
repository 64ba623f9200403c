"""The command line. Without a command (or with `gui`) it opens the program.

Bad input gets one line on stderr starting with `error:` and exit code 2, never a traceback, and
changes nothing: no database file is created, modified or replaced because of a bad request.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import importlib
import json
import os
import sys
import unicodedata
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, NoReturn

from safetycheck import STARTED, __version__
from safetycheck.content import ContentError, load_content
from safetycheck.exchange.errors import ExchangeError
from safetycheck.files import OutputPathError, write_atomically
from safetycheck.services.errors import ServiceError
from safetycheck.store.errors import StoreError

EXIT_BAD_INPUT = 2
EXIT_OUTPUT_GONE = 120  # what Python's own exit gives when it cannot flush what was printed


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
    parser.add_argument(
        "--db",
        metavar="URL",
        help="database URL (default: $SAFETYCHECK_DB, else a SQLite file in your data folder); "
        "e.g. sqlite:///path/file.sqlite3 or postgresql+psycopg://user@host/dbname",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    gui = commands.add_parser("gui", help="open the program (the default)")
    gui.add_argument(
        "--smoke",
        action="store_true",
        help="open the main window, print the startup time as JSON when it has painted, and exit",
    )

    score = commands.add_parser(
        "score",
        help="score an assessment and print the result",
        description="Score an assessment — an id (or its first characters) from the database, "
        "or a JSON file — and print the red flags, level, score and reasons.",
    )
    score.add_argument("ref", metavar="REF", help="assessment id, id prefix, or FILE.json")
    score.add_argument("--json", action="store_true", help="print one JSON object")

    commands.add_parser("demo", help="create a sample person with two visits; print the newest id")

    listing = commands.add_parser("list", help="list the assessments in the database")
    listing.add_argument("--json", action="store_true", help="print a JSON array")
    listing.add_argument("--search", default="", help="only people whose name contains this")

    export = commands.add_parser("export", help="write an assessment to a JSON file")
    export.add_argument("ref", metavar="REF", help="assessment id or id prefix")
    export.add_argument("-o", "--output", metavar="FILE.json", required=True, type=Path)

    importing = commands.add_parser("import", help="add an assessment from a JSON file")
    importing.add_argument("file", metavar="FILE.json", type=Path)

    delete_visit = commands.add_parser(
        "delete-visit",
        help="delete an assessment with its answers, photos, actions and falls record",
        description="Delete one assessment and everything recorded at it. There is no undo "
        "on the command line: export it first to keep a copy.",
    )
    delete_visit.add_argument("ref", metavar="REF", help="assessment id or id prefix")
    delete_person = commands.add_parser(
        "delete-person",
        help="delete a person with all their assessments",
        description="Delete a person, their details and every assessment of theirs. There is "
        "no undo on the command line: export their assessments first to keep a copy.",
    )
    delete_person.add_argument("person_id", metavar="ID", help="the person's id (list --json)")

    report = commands.add_parser(
        "report", help="write the action plan of an assessment (PDF, or HTML for screen readers)"
    )
    report.add_argument("ref", metavar="REF", help="assessment id, id prefix, or FILE.json")
    report.add_argument("-o", "--output", metavar="FILE.pdf", required=True, type=Path)
    report.add_argument(
        "--format",
        choices=["pdf", "html"],
        default=None,
        help="pdf, or html: one self-contained page that screen readers read well (it cannot "
        "have a password); by default, what the output's name ends with (.html or .htm: html)",
    )
    report.add_argument("--large-print", action="store_true", help="larger type (14 pt and up)")
    _password_options(report)

    letter = commands.add_parser(
        "letter", help="write the letter for the person's doctor (PDF) of an assessment"
    )
    letter.add_argument("ref", metavar="REF", help="assessment id, id prefix, or FILE.json")
    letter.add_argument("-o", "--output", metavar="FILE.pdf", required=True, type=Path)
    _password_options(letter)

    checklist = commands.add_parser("checklist", help="write the blank printable checklist PDF")
    checklist.add_argument("-o", "--output", metavar="FILE.pdf", required=True, type=Path)
    checklist.add_argument("--mode", choices=["caregiver", "ot"], default="caregiver")
    _password_options(checklist)

    items = commands.add_parser(
        "items",
        help="print the checklist's questions (as JSON with --json) for other programs",
        description="Print every question the walkthrough can ask in a mode: its answers, the "
        "answers that mean no problem, when it is asked and its red-flag urgency. With --json, "
        "one JSON object (docs/items.md); without it, a short table.",
    )
    items.add_argument("--json", action="store_true", help="print one JSON object")
    items.add_argument("--mode", choices=["caregiver", "ot"], default="caregiver")
    return parser


def _password_options(command: argparse.ArgumentParser) -> None:
    given = command.add_mutually_exclusive_group()
    given.add_argument(
        "--password",
        help="protect the PDF (AES-256) with this password (others on this computer can see "
        "a command line: prefer --password-file)",
    )
    given.add_argument(
        "--password-file",
        metavar="FILE",
        type=Path,
        help="protect the PDF with the password on the first line of FILE; '-' reads it from "
        "standard input (and asks for it, unseen, when that is a terminal)",
    )


def _password_file(args: argparse.Namespace) -> list[Path]:
    """The password file, which an output must not replace either."""
    file = args.password_file
    return [file] if file is not None and str(file) != "-" else []


def _password(args: argparse.Namespace) -> str | None:
    """The password asked for, or None for an unprotected PDF (an empty one is refused later)."""
    if args.password_file is None:
        return str(args.password) if args.password is not None else None
    if str(args.password_file) == "-":
        if sys.stdin.isatty():
            import getpass

            try:
                first = str(getpass.getpass("Password for the PDF: "))
                again = str(getpass.getpass("The same password again: "))
            except EOFError:
                raise UsageError("no password was given") from None
            if first != again:
                raise UsageError("the two passwords are not the same; nothing was written")
            return first
        return str(sys.stdin.readline()).rstrip("\r\n")
    file: Path = args.password_file
    try:
        with file.open(encoding="utf-8") as handle:
            return handle.readline().rstrip("\r\n")
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or "not UTF-8 text"
        raise UsageError(f"cannot read the password file {args.password_file}: {reason}") from None


PRIVATE_UMASK = 0o077


def main(argv: Sequence[str] | None = None) -> int:
    # Whatever the user's umask: every folder and file the program creates (the database, its
    # folder and their parents, the log, the settings, exports) is the user's alone.
    os.umask(PRIVATE_UMASK)
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        args = build_parser().parse_args(args_list)
        if args.command in (None, "gui"):
            return _gui(args.db, getattr(args, "smoke", False))
        handler = {
            "score": _score,
            "demo": _demo,
            "list": _list,
            "export": _export,
            "import": _import,
            "delete-visit": _delete_visit,
            "delete-person": _delete_person,
            "report": _report,
            "letter": _letter,
            "checklist": _checklist,
            "items": _items,
        }[args.command]
        return handler(args)
    except (
        UsageError,
        ContentError,
        ExchangeError,
        ServiceError,
        StoreError,
        OutputPathError,
    ) as exc:
        return _error(_one_line(str(exc)))
    except UnicodeError:
        return _error("an argument or a file name is not valid text (UTF-8)")
    except RecursionError:
        return _error("the input is nested too deeply to read")
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # Whoever read the output went away (`safetycheck list | head`): nothing is wrong with
        # the request and nothing was changed, so no message; the rest goes nowhere.
        _output_gone()
        return EXIT_OUTPUT_GONE


def _output_gone() -> None:
    """Point standard output at the null device, so that flushing what is left at exit does
    not fail again (and Python prints no second error about it)."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError):  # no real file behind stdout (a test's capture)
        pass


def run() -> NoReturn:
    """The program's entry point (`safetycheck`, `python -m safetycheck`, the desktop build):
    `main()`, then the process ends at once. Tests call `main()` itself, in their own process.

    When `main()` returns, all its work is durable: outputs were written whole (fsync, then
    rename), the database is closed (a commit is on disk when it returns) and the desktop
    program's background jobs have finished. What Python would still do is undo every import,
    about 140 ms once SQLAlchemy is loaded. So: flush what was printed, run every exit handler
    (logging's flush, temporary files, the libraries' own), and end the process without that.
    An exception that escapes `main()` is printed and ends the process as usual.
    """
    try:
        code = main()
    except SystemExit as exc:  # --help and --version
        if not isinstance(exc.code, int | None):
            raise
        code = exc.code or 0
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`| head`): what Python's own exit gives
            code = EXIT_OUTPUT_GONE
    os._exit(code)


# Bidirectional overrides and isolates can make a terminal line read differently from its text.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def terminal_text(text: str) -> str:
    """Text as a terminal must show it: control characters (ESC, BEL, C1 codes…) and bidi
    overrides from user data shown escaped, as `\\x1b`, never obeyed. Line breaks stay."""
    out = []
    for ch in text:
        if ch in "\n\t":
            out.append(ch)
        elif unicodedata.category(ch) == "Cc" or ch in _BIDI_CONTROLS:
            out.append(f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "".join(out)


def _error(message: str) -> int:
    """One `error:` line; a name that is not valid UTF-8 is shown escaped, never a crash."""
    line = f"error: {terminal_text(message)}\n".encode("utf-8", errors="backslashreplace")
    sys.stderr.flush()
    sys.stderr.buffer.write(line)
    sys.stderr.flush()
    return EXIT_BAD_INPUT


def _one_line(message: str) -> str:
    return " ".join(message.split())


def _workspace(args: argparse.Namespace, create: bool = True) -> Any:
    """The workspace; create=False for a command that only reads (opened read-only)."""
    from safetycheck.services.workspace import open_workspace

    return open_workspace(args.db, create=create, read_only=not create)


@contextlib.contextmanager
def _writing_workspace(args: argparse.Namespace) -> Iterator[Any]:
    """The workspace of a command that writes. If the command fails, a database file it
    created is removed again: no command that fails leaves a new database behind."""
    from safetycheck.store.location import database_files, database_url, sqlite_file

    path = sqlite_file(database_url(args.db))
    new = path is not None and not path.exists()

    def remove_if_new() -> None:
        if new and path is not None:
            for file in database_files(path):
                file.unlink(missing_ok=True)

    try:
        ws = _workspace(args)
    except BaseException:  # made, then refused while being set up
        remove_if_new()
        raise
    try:
        yield ws
    except BaseException:
        ws.close()
        remove_if_new()
        raise
    ws.close()


def _in_use(args: argparse.Namespace, *extra: Path) -> list[Path]:
    """Files an output must never replace: the SQLite database named or implied (with its
    -wal and -shm files), and the inputs."""
    from safetycheck.store.location import database_files, database_url, sqlite_file

    database = sqlite_file(database_url(args.db))
    return [*extra, *(database_files(database) if database is not None else ())]


def _is_file_ref(ref: str) -> bool:
    """A REF naming something on disk (or looking like a path) is a file, else an id."""
    return ref.lower().endswith(".json") or "/" in ref or "\\" in ref or Path(ref).exists()


def _score(args: argparse.Namespace) -> int:
    from safetycheck.exchange.result_json import result_to_document
    from safetycheck.reports.summary_text import format_summary

    if _is_file_ref(args.ref):
        from safetycheck.services.scoring import evaluate_file

        evaluation = evaluate_file(Path(args.ref), load_content())
    else:
        from safetycheck.services.assessments import evaluate_visit, resolve_ref

        ws = _workspace(args, create=False)
        try:
            evaluation = evaluate_visit(ws, resolve_ref(ws, args.ref))
        finally:
            ws.close()
    if args.json:
        _print_json(result_to_document(evaluation.result, evaluation.plan))
    else:
        sys.stdout.write(terminal_text(format_summary(evaluation)))
    return 0


def _demo(args: argparse.Namespace) -> int:
    from safetycheck.services.demo import create_demo

    with _writing_workspace(args) as ws:
        newest = create_demo(ws)
    print(newest)
    return 0


def _list(args: argparse.Namespace) -> int:
    """Every visit, newest first, written as it is read (a page at a time, by keyset: the
    whole list costs in proportion to its length). Nothing is written before the first page
    is in, so a database that cannot be opened or read writes nothing; a failure later ends
    the output before its closing `]` (not valid JSON) and the command fails (exit 2)."""
    from json.encoder import encode_basestring as quoted  # ensure_ascii=False's, in C

    from safetycheck.services.assessments import each_assessment
    from safetycheck.store.errors import DatabaseMissingError

    def as_json(info: Any) -> str:  # one row of the array as json.dumps(..., indent=2) has it
        level = "null" if info.level is None else quoted(info.level)
        score = "null" if info.score is None else str(int(info.score))
        return (
            f'  {{\n    "id": {quoted(info.id)},\n    "person": {quoted(info.person_name)},\n'
            f'    "person_id": {quoted(info.person_id)},\n'
            f'    "date": "{info.date.isoformat()}",\n    "status": {quoted(info.status)},\n'
            f'    "level": {level},\n    "score": {score},\n'
            f'    "assessor": {quoted(info.assessor_name)},\n'
            f'    "mode": {quoted(info.mode)}\n  }}'
        )

    def as_line(info: Any) -> str:
        level = info.level or "-"
        return (
            f"{info.id[:12]:<12} {info.date.isoformat():<10}  {info.status:<11}  {level:<8}  "
            f"{terminal_text(info.person_name)}\n"
        )

    try:
        ws = _workspace(args, create=False)
    except DatabaseMissingError:
        ws = None
    pages = each_assessment(ws, search=args.search) if ws is not None else iter(())
    out = sys.stdout
    try:
        first = next(pages, None)
        if first is None:
            out.write("[]\n" if args.json else "No assessments yet. Try 'safetycheck demo'.\n")
            return 0
        out.write(
            "[\n"
            if args.json
            else f"{'ID':<12} {'DATE':<10}  {'STATUS':<11}  {'LEVEL':<8}  PERSON\n"
        )
        page: list[Any] | None = first
        while page is not None:
            if args.json:
                text = ",\n".join(as_json(info) for info in page)
                out.write(text if page is first else ",\n" + text)
            else:
                out.write("".join(as_line(info) for info in page))
            page = next(pages, None)
        if args.json:
            out.write("\n]\n")
    finally:
        close = getattr(pages, "close", None)
        if close is not None:
            close()
        if ws is not None:
            ws.close()
    return 0


def _export(args: argparse.Namespace) -> int:
    from safetycheck.files import check_output_path
    from safetycheck.services.assessments import resolve_ref
    from safetycheck.services.transfer import export_document

    check_output_path(args.output, _in_use(args))
    ws = _workspace(args, create=False)
    try:
        document = export_document(ws, resolve_ref(ws, args.ref))
    finally:
        ws.close()
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    write_atomically(args.output, text.encode("utf-8"), _in_use(args))
    return 0


def _import(args: argparse.Namespace) -> int:
    from safetycheck.exchange.assessment_json import assessment_from_document, read_document
    from safetycheck.services.transfer import import_document

    path: Path = args.file
    document = read_document(path)
    # Check the whole file before the database is even opened: a bad file changes nothing.
    try:
        assessment_from_document(document, load_content().checklist)
    except ExchangeError as exc:
        raise UsageError(f"{path}: {exc}") from None
    with _writing_workspace(args) as ws:
        new = import_document(ws, document)
    print(new)
    return 0


def _existing_workspace(args: argparse.Namespace) -> Any:
    """The workspace of a command that changes what is there: opened for writing, never
    created (with no database there is nothing to delete)."""
    from safetycheck.services.workspace import open_workspace

    return open_workspace(args.db, create=False)


def _delete_visit(args: argparse.Namespace) -> int:
    from safetycheck.services.assessments import resolve_ref
    from safetycheck.services.removal import delete_visit

    ws = _existing_workspace(args)
    try:
        removed = delete_visit(ws, resolve_ref(ws, args.ref))
    finally:
        ws.close()
    print(terminal_text(f"Deleted {removed.what}."))
    return 0


def _delete_person(args: argparse.Namespace) -> int:
    from safetycheck.services.removal import delete_person

    ws = _existing_workspace(args)
    try:
        removed = delete_person(ws, args.person_id.strip())
    finally:
        ws.close()
    print(terminal_text(f"Deleted {removed.what}."))
    return 0


def _report(args: argparse.Namespace) -> int:
    from safetycheck.services import reports

    suffix = args.output.suffix.lower()
    named = "html" if suffix in (".html", ".htm") else "pdf" if suffix == ".pdf" else None
    if args.format is None:
        args.format = named or "pdf"
    elif named is not None and named != args.format:
        kind = "an HTML" if named == "html" else "a PDF"
        raise UsageError(
            f"{args.output.name} is named as {kind} file but --format is {args.format}; "
            f"name it .{args.format} or leave out --format"
        )
    if args.format == "html" and (args.password is not None or args.password_file is not None):
        raise UsageError(
            "an HTML plan cannot have a password; leave out the password or write a PDF"
        )
    inputs = [Path(args.ref)] if _is_file_ref(args.ref) else []
    in_use = _in_use(args, *inputs, *_password_file(args))
    password = _password(args)
    reports.check_output(args.output, password, in_use)
    if _is_file_ref(args.ref):
        report = reports.plan_report_for_file(load_content(), Path(args.ref))
    else:
        from safetycheck.services.assessments import resolve_ref

        ws = _workspace(args, create=False)
        try:
            report = reports.plan_report_for_visit(ws, resolve_ref(ws, args.ref))
        finally:
            ws.close()
    if args.format == "html":
        _warn(reports.write_plan_html(report, args.output, in_use, large_print=args.large_print))
    else:
        _warn(
            reports.write_plan_pdf(
                report, args.output, password, in_use, large_print=args.large_print
            )
        )
    return 0


def _letter(args: argparse.Namespace) -> int:
    from safetycheck.services import letters, reports

    inputs = [Path(args.ref)] if _is_file_ref(args.ref) else []
    in_use = _in_use(args, *inputs, *_password_file(args))
    password = _password(args)
    reports.check_output(args.output, password, in_use)
    if _is_file_ref(args.ref):
        from datetime import date

        letter = letters.letter_for_file(load_content(), Path(args.ref), date.today())
    else:
        from safetycheck.services.assessments import resolve_ref

        ws = _workspace(args, create=False)
        try:
            letter = letters.letter_for_visit(ws, resolve_ref(ws, args.ref))
        finally:
            ws.close()
    _warn(letters.write_letter_pdf(letter, args.output, password, in_use))
    return 0


def _checklist(args: argparse.Namespace) -> int:
    from safetycheck.domain.checklist import Mode
    from safetycheck.services import reports

    warnings = reports.write_checklist_pdf(
        load_content(),
        Mode(args.mode),
        args.output,
        _password(args),
        _in_use(args, *_password_file(args)),
    )
    _warn(warnings)
    return 0


def _items(args: argparse.Namespace) -> int:
    from safetycheck.domain.checklist import Mode
    from safetycheck.exchange.items_json import items_document

    content = load_content()
    document = items_document(content.checklist, content.model.stratification.gait, Mode(args.mode))
    if args.json:
        _print_json(document)
        return 0
    lines = [
        f"Checklist {document['checklist_version']}, {args.mode} mode: "
        f"{len(document['items'])} questions (--json for all their fields)",
        f"{'ID':<30} {'TYPE':<8} {'SAFE':<22} {'RED FLAG':<9} QUESTION",
    ]
    for item in document["items"]:
        lines.append(
            f"{item['id']:<30} {item['type']:<8} {_safe_words(item):<22} "
            f"{item['red_flag'] or '-':<9} {item['text']}"
        )
    sys.stdout.write(terminal_text("\n".join(lines) + "\n"))
    return 0


def _safe_words(item: dict[str, Any]) -> str:
    """An item's safe answers in a few characters: "yes, na", "430-485 mm", "<= 15 s"."""
    safe = item["safe"]
    if isinstance(safe, list):
        return ", ".join(safe) or "-"
    low, high, unit = safe["min"], safe["max"], item["unit"] or ""
    if low is not None and high is not None:
        return f"{low:g}-{high:g} {unit}"
    if high is not None:
        return f"<= {high:g} {unit}"
    if low is not None:
        return f">= {low:g} {unit}"
    return "-"


def _warn(warnings: list[str]) -> None:
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)


def _print_json(value: object) -> None:
    # Made whole before anything is printed: nothing reaches stdout before an error.
    text = json.dumps(value, ensure_ascii=False, indent=2) + "\n"
    sys.stdout.write(text)


def _gui(db_url: str | None, smoke: bool) -> int:
    # The core never imports Qt; the front end is found by name only when it is asked for.
    try:
        app = importlib.import_module("safetycheck_ui.app")
    except ImportError as exc:
        raise UsageError(f"the desktop program cannot start: {exc}") from None
    code: int = app.run([], db_url=db_url, smoke=smoke, started=STARTED)
    return code
