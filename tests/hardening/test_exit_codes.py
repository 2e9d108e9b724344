"""The exit-code contract of every command (docs/guarantees.md, "Exit codes"): 0 success, 1 content/validation/template/
font/write error or a PDF that is not current, 2 usage error; messages on stderr, results on stdout.

Every row runs the real CLI on a copy of the tiny project and checks the code, which stream carries the
message, that the other stays empty (`verify` alone prints its verdicts on stdout whatever the code), and
that no traceback ever reaches the user.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.conftest import run
from tests.hardening.hostile import HANDOUT, no_traceback, set_scalar, tiny_copy

POSITIONED = re.compile(r"^[^\s:]+:\d+:\d+: ", re.M)


def broken(root: Path) -> None:
    set_scalar(root, HANDOUT, 'title: "A tiny handout"', "title: Ketamine: what to know")


def fact_due_soon(root: Path) -> None:
    soon = (date.today() + timedelta(days=10)).isoformat()
    path = root / "content" / "facts.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('review_by: "2099-01-01"', f'review_by: "{soon}"', 1),
                    encoding="utf-8")


def built(root: Path) -> None:
    assert run("build", "--project", root).exit_code == 0


def garbage_pdf(root: Path) -> None:
    (root / "not-ours.pdf").write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 20)


def changed_after_build(root: Path) -> None:
    built(root)
    set_scalar(root, HANDOUT, 'text: "An introduction."', 'text: "A changed introduction."')


@dataclass(frozen=True)
class Row:
    """One command line, what to prepare first, and what must come out."""

    args: tuple[str, ...]
    code: int
    expect: str  # a fragment of the message (stderr) or of the result (stdout, for code 0 and verify)
    prepare: Callable[[Path], None] = lambda root: None
    stdout_result: bool = False  # the command's result goes to stdout even though the code is not 0 (verify)


ROWS = {
    "build ok": Row(("build",), 0, "built 1, skipped 0, failed 0"),
    "build warning": Row(("build",), 0, "warning: fact is due for review by", fact_due_soon),
    "build content error": Row(("build",), 1, "text containing ': ' must be quoted", broken),
    "build unknown handout": Row(("build", "nope"), 2, "no handout 'nope'; available: tiny"),
    "build unknown language": Row(("build", "--lang", "xx"), 2, "no content for language 'xx'; available: en"),
    "build bad paper": Row(("build", "--paper", "legal"), 2, "Invalid value for '--paper'"),
    "build no jobs": Row(("build", "--jobs", "0"), 2, "Invalid value for '--jobs'"),
    "build unknown option": Row(("build", "--colour"), 2, "No such option"),  # Click words the rest by version
    "check ok": Row(("check",), 0, "ok: 1 handout file(s) in 1 language(s), no errors"),
    "check warning": Row(("check",), 0, "warning: fact is due for review by", fact_due_soon),
    "check content error": Row(("check",), 1, "text containing ': ' must be quoted", broken),
    "check unknown option": Row(("check", "--fast"), 2, "No such option"),
    "list ok": Row(("list",), 0, "tiny     en    1.0.0"),
    "list content error": Row(("list",), 1, "text containing ': ' must be quoted", broken),
    "list extra argument": Row(("list", "tiny"), 2, "Got unexpected extra argument (tiny)"),
    "approve ok": Row(("approve", "@/" + HANDOUT, "--reviewer", "Dr. Test", "--role", "MD"), 0,
                      "approved: content/en/tiny.yaml"),
    "approve past date": Row(("approve", "@/" + HANDOUT, "--reviewer", "Dr. Test", "--role", "MD",
                              "--next-review", "2000-01-01"), 1,
                             "error: --next-review 2000-01-01 is not after today and within 2 years"),
    "approve not content": Row(("approve", "@/handouts.yaml", "--reviewer", "Dr. Test", "--role", "MD"), 1,
                               "not a content file of this project"),
    "approve broken content": Row(("approve", "@/" + HANDOUT, "--reviewer", "Dr. Test", "--role", "MD"), 1,
                                  "text containing ': ' must be quoted", broken),
    "approve escape in name": Row(("approve", "@/" + HANDOUT, "--reviewer", "Dr. \x1b[2JTest", "--role", "MD"), 1,
                                  "--reviewer must be a non-empty single line of visible text"),
    "approve no reviewer": Row(("approve", "@/" + HANDOUT), 2, "Missing option '--reviewer'"),
    "approve bad date": Row(("approve", "@/" + HANDOUT, "--reviewer", "X", "--role", "Y", "--next-review", "soon"),
                            2, "Invalid value for '--next-review'"),
    "approve missing file": Row(("approve", "@/content/en/none.yaml", "--reviewer", "X", "--role", "Y"), 2,
                                "does not exist"),
    "sources ok": Row(("sources", "tiny"), 0, "tiny (en), version 1.0.0: "),
    "sources content error": Row(("sources", "tiny"), 1, "text containing ': ' must be quoted", broken),
    "sources unknown handout": Row(("sources", "nope"), 2, "no handout 'nope'; available: tiny"),
    "sources unknown language": Row(("sources", "tiny", "--lang", "xx"), 2, "no content for language 'xx'"),
    "verify current": Row(("verify", "@/output/en/tiny.pdf"), 0, "output/en/tiny.pdf: current", built),
    "verify outdated": Row(("verify", "@/output/en/tiny.pdf"), 1, "outdated (content changed", changed_after_build,
                           stdout_result=True),
    "verify not ours": Row(("verify", "@/not-ours.pdf"), 1, "not-ours.pdf: unknown (no patient-handouts verification",
                           garbage_pdf, stdout_result=True),
    "verify no file": Row(("verify",), 2, "Missing argument 'PDFS...'"),
    "verify missing file": Row(("verify", "@/none.pdf"), 2, "does not exist"),
    "print unknown handout": Row(("print", "nope", "--lang", "en"), 2, "no handout 'nope'; available: tiny"),
    "print unknown language": Row(("print", "tiny", "--lang", "xx"), 2, "no content for language 'xx'"),
    "print no language": Row(("print", "tiny"), 2, "Missing option '--lang'"),
    "print no copies": Row(("print", "tiny", "--lang", "en", "--copies", "0"), 2, "Invalid value for '--copies'"),
    "print content error": Row(("print", "tiny", "--lang", "en"), 1, "text containing ': ' must be quoted", broken),
    "print bad printer name": Row(("print", "tiny", "--lang", "en", "--printer", "a b"), 1,
                                  "error: 'a b' is not a valid CUPS printer name"),
    "serve content error": Row(("serve", "--port", "0"), 1, "text containing ': ' must be quoted", broken),
    "serve bad port": Row(("serve", "--port", "70000"), 2, "Invalid value for '--port'"),
    "no command": Row((), 2, "Usage:"),
    "unknown command": Row(("frobnicate",), 2, "No such command 'frobnicate'"),
    "version": Row(("--version",), 0, "patient-handouts, version "),
}


@pytest.mark.parametrize("name", list(ROWS))
def test_exit_code_and_streams(name: str, tmp_path: Path) -> None:
    row = ROWS[name]
    root = tiny_copy(tmp_path / "project")
    row.prepare(root)
    args = [str(root) + a[1:] if a.startswith("@/") else a for a in row.args]
    if args and not args[0].startswith("--") and args[0] != "frobnicate":
        args += ["--project", str(root)]
    result = run(*args)
    no_traceback(result)
    assert result.exit_code == row.code, (result.stdout, result.stderr)
    if row.code == 0 or row.stdout_result:
        shown = result.stdout if "warning" not in row.expect else result.stderr
        assert row.expect in shown, (result.stdout, result.stderr)
        if "warning" not in row.expect:
            assert result.stderr == "", result.stderr
    else:
        assert row.expect in result.stderr, result.stderr
        assert result.stdout == "", result.stdout
    if row.code == 1 and "must be quoted" in row.expect:  # content errors carry their position
        assert POSITIONED.search(result.stderr), result.stderr
    if row.code == 2 and row.args[:1] != ():
        assert "Usage:" in result.stderr
