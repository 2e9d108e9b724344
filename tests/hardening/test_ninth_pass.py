"""The ninth hostile pass (issue 12): new inputs, none repeated from the eight earlier passes or their corpus.
Written against main 3c5e974; every test here failed on that code when written.

Each test asserts the guarantee and says in its docstring what was done, what happened, and why it matters.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run
from tests.hardening.hostile import HANDOUT, no_traceback, tiny_copy


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return tiny_copy(tmp_path / "project")


def _intro(project: Path, text: str) -> None:
    """Put `text` (a double-quoted YAML scalar's content) into the tiny handout's first paragraph."""
    path = project / HANDOUT
    source = path.read_text(encoding="utf-8")
    assert 'text: "An introduction."' in source
    path.write_text(source.replace('text: "An introduction."', f'text: "{text}"', 1), encoding="utf-8")


# -- deceptive links: a number split between a link's words and what stands beside them ---------------------------
@pytest.mark.parametrize("words", [
    "[98](tel:+15550000666)[8](tel:+15550000666)",  # two links side by side: "988", all of it dials another
    "9[88](tel:+15550000666)",  # the link's words are "88", the patient reads "988"
    "[9](tel:+15550000666)88",
    "[Call 9](https://evil.example/)88",  # not even a tel: link
])
def test_a_link_cannot_show_a_number_split_between_its_words_and_the_text_beside_it(project: Path,
                                                                                    words: str) -> None:
    """The eighth pass made link words read "as seen" and made any number of three digits or more in them the
    number they must dial. A number is still read inside one link's words only: `In a crisis, call
    [98](tel:+15550000666)[8](tel:+15550000666) now.` prints "In a crisis, call 988 now." (page 1 at 80 dpi,
    looked at: nothing tells the two links apart) with one annotation over "988" that dials +1 555 000 0666;
    each link's words ("98", "8") are too short to count. `9[88](tel:…)` and `[9](tel:…)88` likewise print
    "988" whose digits partly dial another number. On main 3c5e974 `check` and `build` passed all of them. The
    number the patient reads is the one next to the link too: a number touching a link's words must be read
    whole, or such a link refused."""
    _intro(project, f"In a crisis, call {words} now.")
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1, f"{words!r} passed check"
    assert "tiny.yaml:17:" in result.stderr, result.stderr
