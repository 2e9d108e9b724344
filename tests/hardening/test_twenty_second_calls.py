"""Judgement calls left open by earlier passes, taken up in the thirteenth session (issue 12)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, run
from tests.hardening.hostile import no_traceback, refused_by_check_and_build, spanish_started, tiny_copy


@pytest.mark.parametrize("name", ["style.yaml", "fonts.yaml"])
@pytest.mark.parametrize(("text", "said"), [
    ("", "the file is empty"),
    ("---\n", "the file is empty"),
    ("[]\n", "the file is a list, not settings"),
    ("page: 1\nfamilies: 1\n", "a setting is empty or holds a list or text"),
    ("colors: {}\nlanguages: {}\n", "is missing; add it"),
])
def test_a_settings_file_of_the_wrong_shape_is_named_in_its_reader_s_words(tmp_path: Path, name: str, text: str,
                                                                          said: str) -> None:
    """An empty templates/style.yaml or fonts.yaml (a sync tool's placeholder, a `touch`) was refused as
    "cannot read styles (TypeError(\"'NoneType' object is not subscriptable\"))" — Python's words, no fix named (a
    judgement call of the twenty-first pass)."""
    project = tiny_copy(tmp_path / "project")
    (project / "templates").mkdir(exist_ok=True)
    (project / "templates" / name).write_text(text, encoding="utf-8")
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1 and f"templates/{name}: " in result.stderr and said in result.stderr, result.stderr
    assert f"compare it with the shipped templates/{name}, or delete it" in result.stderr
    assert "Error" not in result.stderr  # no Python exception named


def test_a_build_names_an_empty_style_file_the_same_way(tmp_path: Path) -> None:
    """The build reads style.yaml itself (and the large-print sizes): the same words."""
    project = tiny_copy(tmp_path / "project")
    (project / "templates").mkdir(exist_ok=True)
    (project / "templates/style.yaml").write_text("", encoding="utf-8")
    refused_by_check_and_build(project, "templates/style.yaml: the file is empty", "--large-print")


@pytest.mark.parametrize(("name", "value"), [("RUAMEL_DEBUG", "7"), ("RUAMEL_DEBUG", "abc"), ("YAMLDEBUG", "x")])
def test_ruamel_s_debugging_switches_change_nothing(tmp_path: Path, name: str, value: str) -> None:
    """`RUAMEL_DEBUG=7` made ruamel.yaml print its whole parse to standard output, unfiltered (escape sequences of a
    file's text reached the terminal); `YAMLDEBUG=x` ended in a ValueError traceback and `RUAMEL_DEBUG=abc` blamed
    content/en/tiny.yaml, "cannot be read for editing" (a judgement call of the twentieth pass)."""
    root = spanish_started(tmp_path / "project")
    env = {**os.environ, name: value}
    done = subprocess.run([sys.executable, "-m", "generator", "translate", "sync", "es", "--project", str(root)],
                          env=env, capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 0 and done.stdout == "0 file(s) updated\n", done.stdout[-2000:] + done.stderr[-2000:]
    assert done.stderr == ""


def test_ctrl_c_between_two_renames_waits_for_the_last(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A multi-file write (approve of several files, an import into two) stopped by Ctrl-C between two of its
    renames left the first file changed and the second not (a judgement call of the twentieth pass): the signal is
    held until every file is in place, then acted on."""
    from generator.content.files import replace_texts

    files = [tmp_path / "a.yaml", tmp_path / "b.yaml"]
    for path in files:
        path.write_text("old\n", encoding="utf-8")
    real = os.replace

    def interrupted(src: str | Path, dst: str | Path) -> None:
        real(src, dst)
        signal.raise_signal(signal.SIGINT)  # Ctrl-C right after the first rename

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        replace_texts({path: "new\n" for path in files}, tmp_path)
    monkeypatch.undo()
    assert [path.read_text(encoding="utf-8") for path in files] == ["new\n", "new\n"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.yaml", "b.yaml"]  # no temporary file, no backup


def test_a_kill_between_two_renames_waits_for_the_last(tmp_path: Path) -> None:
    """`kill` (SIGTERM, the default action: the process ends at once) between two renames: the same."""
    files = [tmp_path / "a.yaml", tmp_path / "b.yaml"]
    for path in files:
        path.write_text("old\n", encoding="utf-8")
    script = ("import os, signal, sys\nfrom pathlib import Path\nfrom generator.content.files import replace_texts\n"
              "real = os.replace\n"
              "def killed(src, dst):\n    real(src, dst)\n    os.kill(os.getpid(), signal.SIGTERM)\n"
              "os.replace = killed\n"
              f"replace_texts({{Path(p): 'new\\n' for p in {[str(p) for p in files]!r}}}, Path({str(tmp_path)!r}))\n"
              "print('not stopped')\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, cwd=REPO)
    assert done.returncode == -signal.SIGTERM, done.stdout + done.stderr
    assert [path.read_text(encoding="utf-8") for path in files] == ["new\n", "new\n"]
