"""`handouts init`: a new clinic project that validates and builds; refusals that change nothing; and the real
thing — a wheel built from this repository, installed in a fresh virtual environment, run in an empty folder."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tests.conftest import REPO, run
from tests.helpers import snapshot


def test_init_makes_a_project_that_validates_and_builds(tmp_path: Path) -> None:
    folder = tmp_path / "clinic"
    result = run("init", folder)
    assert result.exit_code == 0, result.output
    assert "replace every value marked '(replace)'" in result.output
    names = {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}
    assert {"handouts.yaml", "README.md", ".gitignore", "docs/content-format.md", "docs/terminology.md",
            "docs/crisis-help.md", "content/facts.yaml",
            "content/en/ui.yaml", "content/ar/microdosing.yaml", "content/zh-Hans/ketamine-assisted-therapy.yaml"} \
        <= names
    shipped = {str(p.relative_to(REPO / "content")) for p in (REPO / "content").rglob("*.yaml")}
    assert {n[len("content/"):] for n in names if n.startswith("content/")} == shipped
    settings = (folder / "handouts.yaml").read_text(encoding="utf-8")
    assert 'name: "Your Clinic Name (replace)"' in settings
    readme = (folder / "README.md").read_text(encoding="utf-8")
    for words in ("handouts build", "handouts approve", "--release", "(replace)", "docs/content-format.md",
                  "{placeholder}", "{clinic.phone}"):
        assert words in readme, words

    check = run("check", "--project", folder)
    assert check.exit_code == 0, check.output
    assert "handouts.yaml:5:9: clinic.name: warning: 'Your Clinic Name (replace)' is still a placeholder" \
        in check.stderr
    build = run("build", "--project", folder, "--lang", "en", "microdosing")
    assert build.exit_code == 0 and (folder / "output" / "en" / "microdosing.pdf").is_file()


def test_release_refuses_placeholders(tmp_path: Path) -> None:
    folder = tmp_path / "clinic"
    assert run("init", folder).exit_code == 0
    result = run("build", "--project", folder, "--release")
    assert result.exit_code == 1
    assert ("handouts.yaml:6:10: clinic.phone: '+1 555 0100 (replace)' is still a placeholder; replace it with "
            "your clinic's own in handouts.yaml; it is printed on every handout; --release refuses placeholders"
            ) in result.stderr
    assert not (folder / "output").exists()


def test_init_into_an_empty_folder_is_fine(tmp_path: Path) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    assert run("init", folder).exit_code == 0
    assert (folder / "handouts.yaml").is_file()


@pytest.mark.parametrize("kind", ["folder", "file"])
def test_init_refuses_a_folder_in_use_and_changes_nothing(tmp_path: Path, kind: str) -> None:
    target = tmp_path / "taken"
    if kind == "folder":
        target.mkdir()
        (target / "notes.txt").write_text("keep me", encoding="utf-8")
    else:
        target.write_text("keep me", encoding="utf-8")
    before = snapshot(tmp_path)
    result = run("init", target)
    assert result.exit_code == 1
    expected = "exists and is not empty" if kind == "folder" else "exists and is not a folder"
    assert f"error: {target} {expected}" in result.stderr
    assert snapshot(tmp_path) == before
    assert [p.name for p in tmp_path.iterdir()] == ["taken"]  # no staging folder left behind


@pytest.mark.slow
def test_wheel_installed_in_a_fresh_venv_inits_and_builds(tmp_path: Path) -> None:
    """pip wheel the repository, install the wheel into a new virtual environment, and in an empty folder
    outside the repository run `handouts init clinic && cd clinic && handouts build`."""
    wheels = tmp_path / "wheels"
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(wheels), str(REPO)],
                           capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    (wheel,) = wheels.glob("patient_handouts-*.whl")
    env_dir = tmp_path / "venv"
    # No pip of its own (installing one is 5 CPU-s): this pip installs the wheel and its dependencies into it.
    venv.EnvBuilder(with_pip=False, clear=True).create(env_dir)
    python, handouts = env_dir / "bin" / "python", env_dir / "bin" / "handouts"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    installed = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", str(wheel)],
                               capture_output=True, text=True, timeout=900, env=env, cwd=tmp_path)
    assert installed.returncode == 0, installed.stdout[-3000:] + installed.stderr[-3000:]

    work = tmp_path / "empty"
    work.mkdir()
    where = subprocess.run([str(python), "-c", "import generator; print(generator.__file__)"], capture_output=True,
                           text=True, env=env, cwd=work, timeout=60)
    assert where.stdout.strip().startswith(str(env_dir)), where.stdout  # the installed copy, not this checkout
    init = subprocess.run([str(handouts), "init", "clinic"], capture_output=True, text=True, env=env, cwd=work,
                          timeout=120)
    assert init.returncode == 0, init.stdout + init.stderr
    clinic = work / "clinic"
    build = subprocess.run([str(handouts), "build"], capture_output=True, text=True, env=env, cwd=clinic,
                           timeout=600)
    assert build.returncode == 0, build.stdout + build.stderr
    assert "built 30, skipped 0, failed 0" in build.stdout  # every language's fonts are in the wheel
    pdfs = sorted((clinic / "output").glob("*/*.pdf"))
    assert len(pdfs) == 30 and all(p.read_bytes().startswith(b"%PDF-") for p in pdfs)
    assert (clinic / "output" / "manifest.json").is_file()
    # The other editions' templates and the HTML companion's faces are in the wheel too (one handout is enough).
    other = subprocess.run([str(handouts), "build", "microdosing", "--large-print", "--lang", "ar", "--bilingual",
                            "en", "--format", "pdf,html"], capture_output=True, text=True, env=env, cwd=clinic,
                           timeout=600)
    assert other.returncode == 0, other.stdout + other.stderr
    assert [p.name for p in sorted((clinic / "output" / "ar").glob("*.ar-en.large.*"))] == [
        "microdosing.ar-en.large.html", "microdosing.ar-en.large.pdf"]
