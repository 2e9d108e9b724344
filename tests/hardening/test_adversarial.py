"""The adversarial corpus (tests/hardening/adversarial/): each hostile or broken file is rendered literally or refused
clearly, with nothing read from outside the project, no code run, bounded time and memory, and earlier output
left exactly as it was.

A case is `NAME.expected` (what to do and what must happen, YAML) and, usually, `NAME.<ext>`: the hostile file,
copied to `target` in a copy of tests/hardening/tiny_project that already holds a good build. Keys of NAME.expected:

    about:        what the case is
    target:       where NAME.<ext> goes in the project
    edit:         [[file, old, new], ...] text replacements made in the project first
    link:         {path: ..., to: ...} a symbolic link to make;   fifo: a named pipe to make
    expand:       {TOKEN: [text, count]} TOKEN in the case file (and expectations) becomes text * count
    defaults:     [templates/NAME, ...] shipped template files copied into the project first (then edited)
    files:        {path: text} more files to write (placeholders filled);  dirs: [path, ...] folders to make
    commands:     [{args: [...], exit: N, stderr: [...], stdout: [...]}, ...] commands to run, in order,
                  instead of `check` and `build` (each gets --project); a case without commands runs both
    exit:         exit code of `check` and `build` (exit_check / exit_build override one of them)
    stderr:       fragments that must be in both commands' stderr (stderr_build: in build's only)
    pdf_text:     fragments that must be in the built PDF, literally (whitespace aside)
    pdf_count:    {word: n}: how often a word must be in the PDF (text split by page breaks and headers)

In a case, @@SECRET@@ is the path of a file outside the project holding a secret token, @@SECRET_DIR@@ a
folder outside the project with handout files carrying it, and @@MARKER@@ a file that only code run by the
generator could create. Every command runs as a process of its own (tests/cliserver.py) under a memory limit
and a timeout; nothing outside the project changes, a failed command changes nothing inside it, and no printed
line is longer than a terminal can bear.
"""

from __future__ import annotations

import os
import secrets
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.cliserver import CliServer
from tests.conftest import REPO, run
from tests.hardening.hostile import (
    LOWEST_TEXT,
    all_text,
    assert_consistent,
    decompressed_streams,
    lowest_text,
    squeeze,
    text_over_footer,
    tiny_copy,
)

CORPUS = Path(__file__).resolve().parent / "adversarial"
CASES = sorted(p.stem for p in CORPUS.glob("*.expected"))
MEMORY_LIMIT = 1024 * 1024 * 1024  # address space of each command (1 GiB): a bomb fails inside it, not the machine
TIMEOUT = 120  # seconds; a safety net against hangs, far above any case's run time
MAX_PRINTED_LINE = 2_100  # characters: messages are cut to 2,000 (a quoted line to 160)


@pytest.fixture(scope="module")
def prebuilt(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny project with a good build in output/, copied for every case."""
    root = tiny_copy(tmp_path_factory.mktemp("adversarial") / "project")
    result = run("build", "--project", root)
    assert result.exit_code == 0, result.output
    return root


def cli(server: CliServer, *args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run `handouts` in a process of its own with a memory limit, as a user would (forked from a process that
    has imported the generator: tests/cliserver.py)."""
    return server.run([str(a) for a in args], cwd, MEMORY_LIMIT, TIMEOUT)


class Case:
    """One corpus case, its placeholders resolved for a given scratch folder."""

    def __init__(self, name: str, scratch: Path) -> None:
        self.name = name
        self.spec = yaml.safe_load((CORPUS / f"{name}.expected").read_text(encoding="utf-8"))
        self.token = f"SECRET-{secrets.token_hex(8)}"
        self.secret = scratch / "secret.txt"
        self.secret_dir = scratch / "secret-dir"
        self.marker = scratch / "marker-code-ran"
        self.values = {"@@SECRET@@": str(self.secret), "@@SECRET_DIR@@": str(self.secret_dir),
                       "@@MARKER@@": str(self.marker)}
        for token, (text, count) in (self.spec.get("expand") or {}).items():
            self.values[token] = text * count

    def fill(self, text: str) -> str:
        for token, value in self.values.items():
            text = text.replace(token, value)
        return text

    def fill_bytes(self, data: bytes) -> bytes:
        for token, value in self.values.items():
            data = data.replace(token.encode(), value.encode())
        return data

    def file(self) -> Path | None:
        found = [p for p in CORPUS.glob(f"{self.name}.*") if p.suffix != ".expected"]
        assert len(found) <= 1, found
        return found[0] if found else None

    def expected_exit(self, command: str) -> int:
        return int(self.spec.get(f"exit_{command}", self.spec["exit"]))

    def fragments(self, command: str) -> list[str]:
        return [self.fill(f) for f in [*self.spec.get("stderr", []), *self.spec.get(f"stderr_{command}", [])]]


def prepare(case: Case, prebuilt: Path, scratch: Path) -> Path:
    """A copy of the prebuilt project with the case applied, plus the secrets outside it."""
    case.secret.write_text(f"title: {case.token}\n{case.token}\n", encoding="utf-8")
    case.secret_dir.mkdir()
    for name in ("tiny.yaml", "ui.yaml"):
        text = (prebuilt / "content" / "en" / name).read_text(encoding="utf-8")
        (case.secret_dir / name).write_text(text.replace("A tiny handout", case.token), encoding="utf-8")
    root = scratch / "project"
    shutil.copytree(prebuilt, root, symlinks=True)
    for name in case.spec.get("defaults") or []:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / name, root / name)
    for folder in case.spec.get("dirs") or []:
        (root / folder).mkdir(parents=True, exist_ok=True)
    for name, text in (case.spec.get("files") or {}).items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(case.fill(text), encoding="utf-8")
    for file, old, new in case.spec.get("edit") or []:
        path = root / file
        text = path.read_text(encoding="utf-8")
        assert old in text, (file, old)
        path.write_text(text.replace(old, case.fill(new), 1), encoding="utf-8")
    source = case.file()
    if source is not None:
        target = root / case.spec["target"]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(case.fill_bytes(source.read_bytes()))
    if "link" in case.spec:
        link = root / case.spec["link"]["path"]
        if link.is_dir():
            shutil.rmtree(link)
        else:
            link.unlink(missing_ok=True)
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(case.fill(case.spec["link"]["to"]))
    if "fifo" in case.spec:
        fifo = root / case.spec["fifo"]
        fifo.unlink()
        os.mkfifo(fifo)
    return root


def judge_output(case: Case, command: str, result: subprocess.CompletedProcess[str], exit_code: int | None = None,
                 fragments: list[str] | None = None) -> None:
    """What every command must satisfy: the exit code, the messages, and nothing unsafe printed."""
    shown = result.stdout + result.stderr
    assert "Traceback" not in shown, shown
    expected = case.expected_exit(command) if exit_code is None else exit_code
    assert result.returncode == expected, (command, result.returncode, shown)
    for fragment in case.fragments(command) if fragments is None else fragments:
        assert fragment in result.stderr, (command, fragment, result.stderr)
    assert case.token not in shown, "a file outside the project was read and shown"
    assert not any(ord(ch) < 32 and ch not in "\n" for ch in shown), "a raw control character was printed"
    assert max(map(len, shown.splitlines() or [""])) <= MAX_PRINTED_LINE, "a flood of a line was printed"
    assert not case.marker.exists(), "the generator ran code from the content"


def state(folder: Path, skip: str = "") -> dict[str, bytes]:
    """Every entry under `folder` (links not followed): a regular file's bytes, or what else it is."""
    found = {}
    for base, dirs, files in os.walk(folder):
        for name in [*dirs, *files]:
            path = Path(base) / name
            relative = str(path.relative_to(folder))
            if skip and relative.split(os.sep)[0] == skip:
                continue
            info = path.lstat()
            if stat.S_ISREG(info.st_mode):
                found[relative] = path.read_bytes() + f"|mode={stat.S_IMODE(info.st_mode):o}".encode()
            elif stat.S_ISLNK(info.st_mode):
                found[relative] = b"link to " + os.readlink(path).encode()
            else:
                found[relative] = f"type {stat.S_IFMT(info.st_mode):o}".encode()
    return found


def outside(scratch: Path) -> dict[str, bytes]:
    """Everything in the scratch folder but the project: what no command may create or change."""
    return state(scratch, skip="project")


def run_commands(server: CliServer, case: Case, root: Path) -> None:
    """A case's own commands, in order; a refused one leaves the project exactly as it was."""
    for step in case.spec["commands"]:
        args = [case.fill(str(a)) for a in step["args"]]
        before = state(root)
        result = cli(server, *args, "--project", root, cwd=root)  # relative paths in args are inside the project
        judge_output(case, " ".join(args), result, int(step.get("exit", case.spec["exit"])),
                     [case.fill(f) for f in step.get("stderr", [])])
        for fragment in step.get("stdout", []):
            assert case.fill(fragment) in result.stdout, (args, fragment, result.stdout)
        if result.returncode != 0:
            assert state(root) == before, f"a refused `{' '.join(args)}` changed the project"


@pytest.mark.parametrize("name", CASES)
def test_adversarial_case(name: str, prebuilt: Path, tmp_path: Path, cli_server: CliServer) -> None:
    case = Case(name, tmp_path)
    root = prepare(case, prebuilt, tmp_path)
    untouched = outside(tmp_path)
    if "commands" in case.spec:
        run_commands(cli_server, case, root)
        assert outside(tmp_path) == untouched, "a command wrote outside the project"
        return
    out = root / "output"
    before = state(out)  # links and pipes planted in the output folder are recorded, never followed
    for command in ("check", "build"):
        result = cli(cli_server, command, "--project", root, cwd=tmp_path)
        judge_output(case, command, result)
    assert outside(tmp_path) == untouched, "a command wrote outside the project"
    if case.expected_exit("build") != 0:
        assert state(out) == before, "a failed build changed earlier output"
        planted = [k for k, v in before.items() if v.startswith(b"link to ") or v.startswith(b"type ")
                   and v != b"type 40000"]
        # A planted link, pipe or manifest is never read, not even here (a manifest the generator did not write
        # is refused as it is: nothing to be consistent with).
        if not planted and not out.is_symlink() and case.spec.get("target") != "output/manifest.json":
            assert_consistent(out)
        return
    assert state(out) != before
    assert_consistent(out)
    pdf = out / "en" / "tiny.pdf"
    text = all_text(pdf)
    for fragment in case.spec.get("pdf_text", []):
        assert squeeze(case.fill(fragment)) in squeeze(text), (fragment, text)
    for word, count in (case.spec.get("pdf_count") or {}).items():
        assert text.count(word) == count, (word, text.count(word))
    assert case.token.encode() not in pdf.read_bytes() + decompressed_streams(pdf)
    assert lowest_text(pdf) >= LOWEST_TEXT, "a footer line wrapped towards the paper's edge"
    assert not text_over_footer(pdf), "body text ran over the footer"


def test_every_case_has_its_file_and_expectation() -> None:
    """The corpus is well-formed: each expectation names an exit code and what proves it."""
    assert len(CASES) >= 40
    for name in CASES:
        spec = yaml.safe_load((CORPUS / f"{name}.expected").read_text(encoding="utf-8"))
        assert spec.get("about") and "exit" in spec, name
        assert spec.get("stderr") or spec.get("stderr_build") or spec.get("pdf_text") or spec.get("pdf_count") \
            or all(step.get("stderr") or step.get("stdout") for step in spec.get("commands") or [{}]), name
        has_file = any(p.suffix != ".expected" for p in CORPUS.glob(f"{name}.*"))
        assert has_file == ("target" in spec), name
        assert has_file or spec.get("link") or spec.get("fifo") or spec.get("edit") or spec.get("commands") \
            or spec.get("files"), name
