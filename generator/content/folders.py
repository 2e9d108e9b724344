"""What the loader says about content/'s folders before it reads them: unreadable ones, misnamed ones."""

from __future__ import annotations

import os
from pathlib import Path

from generator.content.names import is_language_code
from generator.content.problems import Loc, Problems, printable
from generator.content.walk import walked


def misnamed_folders(content: Path, problems: Problems) -> None:
    """A folder under content/ whose name is no language code (ES, es_MX, a Cyrillic е) is never read: say so,
    or a translator's whole work would stay invisible (nothing lost silently)."""
    try:
        folders = sorted(entry.name for entry in os.scandir(content) if entry.is_dir())
    except OSError:
        return
    for name in folders:
        if not is_language_code(name) and not name.startswith((".", "_")):
            problems.add(Loc(f"content/{printable(name)}"), "", f"the folder content/{printable(name)}/ is not named "
                         "with a language code, so its files are never read", "rename it to the language's code "
                         "(es, pt-BR, zh-Hans: lower-case language, '-' before the region or script)",
                         severity="warning")


def misnamed_files(content: Path, languages: list[str], problems: Problems) -> None:
    """A YAML file in a language folder not named `.yaml` (extra.yml, extra.YAML) is never read: an error, not
    a handout quietly missing from every build (fifth pass)."""
    for lang in languages:
        try:
            names = sorted(entry.name for entry in os.scandir(content / lang) if entry.is_file())
        except OSError:  # missing or unreadable: said elsewhere
            continue
        for name in names:
            # What an editor or a terminal adds to a name: Notepad's and TextEdit's ".txt", a trailing space or dot
            # (twenty-first pass: left out unsaid, while `.yml` was refused)
            meant = name.rstrip(" .")
            meant = meant[:-4] if meant.lower().endswith((".yaml.txt", ".yml.txt")) else meant
            stem, dot, suffix = meant.rpartition(".")
            if dot and stem and suffix.lower() in ("yml", "yaml") and (suffix != "yaml" or meant != name):
                shown = f"content/{lang}/{printable(name)}"
                problems.add(Loc(shown), "", "content files end in .yaml (lower case, nothing after it), so this "
                             "one is never read", f"rename it to content/{lang}/{printable(stem.strip())}.yaml")


CONTENT_FILES = frozenset({"facts.yaml", "glossary.yaml", "source-history.yaml"})  # content/'s own files


def stray_handouts(content: Path, languages: list[str], problems: Problems) -> None:
    """A YAML file straight in content/ (but its own files) or in a folder inside a language folder is never read:
    say so, as for a misnamed folder (twenty-first pass: `content/en/ketamine/dosing.yaml` left out unsaid)."""
    try:
        stray = [entry.name for entry in os.scandir(content) if entry.is_file() and _yaml(entry.name)
                 and entry.name not in CONTENT_FILES and not entry.name.startswith(".")]
        for name in sorted(stray):
            own = name.rsplit(".", 1)[0].strip().lower() + ".yaml"  # `facts.yml`, `Glossary.yaml`
            problems.add(Loc(f"content/{printable(name)}"), "", "a YAML file straight in content/ is never read",
                         f"rename it to content/{own}" if own in CONTENT_FILES else
                         "move a handout into its language's folder (content/<lang>/)", severity="warning")
    except OSError:
        pass
    for lang in languages:
        try:
            inner = sorted(entry.name for entry in os.scandir(content / lang)
                           if entry.is_dir() and not entry.name.startswith((".", "_")))
        except OSError:  # missing or unreadable: said elsewhere
            continue
        for name in inner:
            if any(_yaml(path.name) for path in walked(content / lang / name)[0]):
                shown = f"content/{lang}/{printable(name)}"
                problems.add(Loc(shown), "", f"the folder {shown}/ is inside a language folder, so the YAML files "
                             "in it are never read", f"move handouts up into content/{lang}/ (or start the folder's "
                             "name with '_' to keep them aside)", severity="warning")


def _yaml(name: str) -> bool:
    return name.lower().endswith((".yaml", ".yml"))


def not_a_folder(folder: Path) -> tuple[str, str] | None:
    """What is wrong, and how to fix it, when `content/<lang>` is there but is no folder (a file, a pipe, a link
    to one); None for a folder or nothing. Without it, `translate new` said the language existed and `sync` that
    it did not (seventeenth session)."""
    if not os.path.lexists(folder) or folder.is_dir():
        return None
    name = printable(folder.name)
    return (f"is not a folder (a file, or a link to no folder): a language's files live in the folder content/{name}/",
            f"move that file away, then run `handouts translate new {name}`")


def folder_unreadable(folder: Path) -> tuple[str, str] | None:
    """Why a language folder cannot be read, and how to fix it (None when it can, or is missing: said elsewhere)."""
    if reason := not_a_folder(folder):
        return reason
    try:
        names = os.listdir(folder)
        if names:
            os.lstat(folder / names[0])  # listable is not enough: its files must be reachable too (x)
    except FileNotFoundError:
        return None
    except OSError as exc:
        from generator.content.files import unreadable_fix

        return (f"the folder content/{printable(folder.name)}/ cannot be read ({exc.strerror or exc})",
                unreadable_fix(exc, "check its permissions (the folder needs r and x: chmod u+rx)"))
    return None
