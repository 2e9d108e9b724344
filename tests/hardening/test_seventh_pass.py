"""The seventh hostile pass (issue 12): a short final pass with new inputs, none repeated from the six earlier
passes or their corpus. Written against main ed3861a; every test here failed on it when written.

Each test asserts the guarantee and says in its docstring what was done, what happened, and why it matters.
"""

from __future__ import annotations

import shutil
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


def _refused(project: Path) -> str:
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1, result.output + result.stderr
    return result.stderr


# -- deceptive links: what the words show is not where the link goes -------------------------------------
def test_a_link_cannot_show_a_look_alike_web_address_of_another_site(project: Path) -> None:
    """`[www.nіh.gov](https://evil.example/)` — the `і` is Cyrillic (U+0456), drawn like a Latin i by Noto
    Sans. markup.shown_elsewhere looks for addresses in a link's words with an ASCII-only pattern, so it finds
    none and the link passes `check` and `build`: the PDF shows "www.nih.gov" and opens evil.example (seen in
    the built PDF's annotation on main ed3861a). The guarantee: a link's words may show only the address it
    goes to. A patient trusts a government address; a homograph is the oldest phishing trick."""
    _intro(project, "Read more at [www.n\u0456h.gov](https://evil.example/).")
    assert "www.n" in _refused(project)


def test_a_link_cannot_show_a_look_alike_mail_address(project: Path) -> None:
    """`[help@clinic.оrg](mailto:x@evil.example)` with a Cyrillic `о` (U+043E) in `org`: the e-mail and web
    patterns want an ASCII top-level domain, so they see no address in the words; check passed on main
    ed3861a. The page shows the clinic's address, and a patient's mail (symptoms, medication) goes to another."""
    _intro(project, "Write to [help@clinic.\u043erg](mailto:x@evil.example).")
    assert "help@" in _refused(project)


def test_a_tel_link_cannot_show_fullwidth_digits_of_another_number(tmp_path: Path) -> None:
    """In Chinese text digits are often fullwidth: `[请拨打９８８](tel:+15550000666)` in
    content/zh-Hans/microdosing.yaml. shown_elsewhere's phone pattern is `[0-9]` only, so it sees no number in
    the words; check and build passed on main ed3861a and the PDF showed ９８８ linked to +1 555 000 0666
    (pypdf: the annotation's URI). The fifth pass fixed exactly this for ASCII digits: a patient in crisis who
    taps "988" must reach 988. Any digit a font draws (fullwidth, Arabic-Indic…) counts as a digit."""
    folder = tmp_path / "clinic"
    assert run("init", folder).exit_code == 0
    path = folder / "content/zh-Hans/microdosing.yaml"
    source = path.read_text(encoding="utf-8")
    at = source.index('text: "', source.index("sections:")) + len('text: "')
    path.write_text(source[:at] + "[\u8bf7\u62e8\u6253\uff19\uff18\uff18](tel:+15550000666)\u3002" + source[at:],
                    encoding="utf-8")
    stderr = _refused(folder)
    assert "microdosing.yaml" in stderr
