"""The seventeenth session's own fixes, beside the thirty-seventh pass's: a link in a handout's text whose host name
mixes two scripts (the source addresses' rule came with the pass; a link in the prose had none)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run
from tests.hardening.hostile import no_traceback, refused_at_intro, set_intro, tiny_copy


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return tiny_copy(tmp_path / "project")


@pytest.mark.parametrize("link", ["[fda.gov](https://www.fd\u0430.gov/drugs)",
                                  "[write to us](mailto:care@clinic.ex\u0430mple)",
                                  "[fda.gov](https://www.fd\u0430.gov:443/drugs)"],
                         ids=["web", "mail", "web-port"])
def test_a_link_whose_host_mixes_two_scripts_is_refused_at_it(project: Path, link: str) -> None:
    """`[fda.gov](https://www.fdа.gov/drugs)`, its "а" Cyrillic: `check` said ok (the words show the address) and the
    page printed "fda.gov", a link to another site; the same in a mailbox's host. The thirty-seventh pass gave the
    source addresses the clinic website's host rule; a link in the text had none. It is refused at the link, naming
    the letter."""
    set_intro(project, f"Read {link}.")
    refused_at_intro(project, link)
    result = run("check", "--project", project)
    assert "mixing the letters of two scripts" in result.stderr and "U+0430, CYRILLIC SMALL LETTER A" in \
        result.stderr, result.stderr


def test_a_link_to_a_name_written_in_one_other_script_still_builds(project: Path) -> None:
    """A Russian ministry's page (`минздрав.рф`) and an accented mailbox are real names in one script each: they
    still build (the PDF holds them as a browser sends them: tests/hardening/test_twenty_third_pass_b.py)."""
    set_intro(project, "Read [the ministry page](https://\u043c\u0438\u043d\u0437\u0434\u0440\u0430\u0432.\u0440\u0444"
                       "/x) or [write to us](mailto:jos\u00e9@cl\u00ednica.example).")
    result = run("build", "--project", project)
    no_traceback(result)
    assert result.exit_code == 0, result.output + result.stderr
