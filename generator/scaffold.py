"""`handouts init DIR`: a new clinic project from the installed package — settings with placeholders to fill
in, the shipped content, the content-format, crisis-help and terminology pages and a README for the clinic.
Written whole or not at all."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from generator import __version__
from generator.content.makefolder import in_the_way, kind
from generator.content.uninterrupted import uninterrupted
from generator.content.walk import files_under
from generator.render.template import default_templates, package_folder

INIT_FOLDER = "init"  # under the shipped templates: handouts.yaml and README.md for a new project
CONTENT_FORMAT = "content-format.md"
# Also copied: the page the crisis-help checks point to, and the table `lint` checks terms against.
PROJECT_DOCS = (CONTENT_FORMAT, "crisis-help.md", "terminology.md")


class ScaffoldError(Exception):
    """The project cannot be created (the folder is in use, or the package is incomplete); nothing was written."""


def shipped_content() -> Path:
    """The starter content shipped with the tool (generator._content, or content/ in a checkout)."""
    return package_folder("generator._content", "facts.yaml", "content")


def shipped_docs() -> Path:
    """The content-format guide's folder (generator._docs, or docs/ in a checkout)."""
    return package_folder("generator._docs", CONTENT_FORMAT, "docs")


def create(folder: Path) -> list[Path]:
    """Create the project in `folder` (which must not exist, or be empty); return the files written."""
    try:
        if folder.is_symlink():  # even a dangling one: init writes where it is told, never where a link leads
            raise ScaffoldError(f"{folder} is a link (to {os.readlink(folder)}); nothing was written; give the "
                                "name of a new folder, or of an empty real one")
        # A dangling link anywhere in the name (`clinic/x/..`, tenth pass) would have its target's folders made.
        if dangling := next((p for p in folder.parents if p.is_symlink() and not p.exists()), None):
            raise ScaffoldError(f"{dangling} is a link to a place that does not exist ({os.readlink(dangling)}); "
                                "nothing was written; give a name that leads through real folders")
        # `init q/../r` with no folder q: the system needs q to go back from it ("check free space": 36th pass)
        if missing := next((Path(*folder.parts[:i]) for i, part in enumerate(folder.parts)
                            if part == ".." and i and not Path(*folder.parts[:i]).is_dir()), None):
            raise ScaffoldError(f"{folder} goes through {missing}, which is not a folder here; nothing was written; "
                                f"give the name without '..', or make {missing} first")
        if folder.exists() and not folder.is_dir():
            raise ScaffoldError(f"{folder} exists and is not a folder; choose another name")
        # `init notes.txt/clinic`: mkdir's "File exists" named neither the file nor what to do (fourteenth session)
        if (blocking := in_the_way(folder.parent)) is not None:  # a pipe or a device too, said as what it is
            raise ScaffoldError(f"{blocking} is {kind(blocking)}, not a folder, so {folder} cannot be made in it; "
                                "nothing was written; choose a name under a folder")
        if folder.is_dir() and any(folder.iterdir()):
            raise ScaffoldError(f"{folder} exists and is not empty; choose a new folder name, or empty it first "
                                "(nothing was written)")
        parent = folder.resolve().parent
    except OSError as exc:  # a name too long, a folder that cannot be listed: said, never a traceback
        raise ScaffoldError(f"{folder}: cannot create the project here ({exc.strerror or exc}); nothing was "
                            "written; choose another folder") from None
    templates = default_templates()
    content, docs = shipped_content(), shipped_docs()
    needed = [templates / INIT_FOLDER / "handouts.yaml", templates / INIT_FOLDER / "README.md",
              content / "facts.yaml", *(docs / name for name in PROJECT_DOCS)]
    missing = [str(path) for path in needed if not path.is_file()]
    if missing:
        raise ScaffoldError(f"the installed package is incomplete (missing {', '.join(missing)}); reinstall it")
    given = folder.is_dir()  # an empty folder given: filled, never replaced (see _fill)
    # The folders on the way that mkdir makes, outermost first: taken away again if the project is not made (a
    # name too long three levels down left the first level behind: twenty-second pass).
    made = [p for p in reversed((parent, *parent.parents)) if not os.path.lexists(p)]
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".handouts-init." if given else f".{folder.name}.",
                                        dir=folder if given else parent))
    except OSError as exc:
        _remove_empty(made)
        raise ScaffoldError(f"{folder}: cannot create the project ({exc.strerror or exc}); nothing was written; "
                            "check the path and permissions") from None
    try:
        shutil.copy(needed[0], staging / "handouts.yaml")
        readme = needed[1].read_text(encoding="utf-8").format(version=__version__, templates=templates)
        (staging / "README.md").write_text(readme, encoding="utf-8")
        shutil.copytree(content, staging / "content", copy_function=_copy,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "__init__.py"))
        (staging / "docs").mkdir()
        for name in PROJECT_DOCS:
            shutil.copy(docs / name, staging / "docs" / name)
        (staging / ".gitignore").write_text("output/\n", encoding="utf-8")
        _ordinary_modes(staging)
        with uninterrupted():  # Ctrl-C during the moves: acted on once the project is whole (thirtieth pass)
            if given:
                _fill(folder, staging)
            else:  # a folder made there meanwhile (another init's, a team's prepared one) is never replaced
                if os.path.lexists(folder):
                    raise _Appeared(folder)
                os.replace(staging, folder)  # mkdtemp made it 0700: _ordinary_modes made it an ordinary folder
    except _Appeared as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise ScaffoldError(str(exc)) from None
    except (OSError, _CopyFailed) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        _remove_empty(made)
        cause = exc.args[0] if isinstance(exc, _CopyFailed) else exc
        raise ScaffoldError(f"{folder}: cannot create the project ({cause.strerror or cause}); nothing was written; "
                            "check free space and permissions") from None
    except BaseException:  # Ctrl-C while copying left the half-made project beside (or in) the folder
        shutil.rmtree(staging, ignore_errors=True)
        _remove_empty(made)
        raise
    return files_under(folder)


def _remove_empty(folders: list[Path]) -> None:
    """Remove these folders, innermost first, while they are empty (nothing of anyone else's is touched)."""
    for folder in reversed(folders):
        try:
            if os.path.lexists(folder):  # the innermost may never have been made
                folder.rmdir()
        except OSError:
            return


class _CopyFailed(Exception):
    """A file of the starter content could not be copied (the OSError is its argument)."""

    args: tuple[OSError]


def _copy(source: str, target: str) -> None:
    """shutil.copy2, stopping copytree at the first failure: copytree collects every file's error (a full disk)
    into one message of hundreds of paths (twentieth pass)."""
    try:
        shutil.copy2(source, target)
    except OSError as exc:
        raise _CopyFailed(exc) from None


def _ordinary_modes(staging: Path) -> None:
    """Every staged file 0666 and folder 0777, less the umask: copying took the installed package's modes, and a
    read-only installation (the Nix store: 0444 files in 0555 folders) made a project nobody could edit (twentieth
    pass)."""
    mask = _umask()
    for folder, _, files in os.walk(staging):
        os.chmod(folder, 0o777 & ~mask | 0o700)  # the owner always enters and writes the project it made
        for name in files:
            os.chmod(os.path.join(folder, name), 0o666 & ~mask | 0o600)


def _fill(folder: Path, staging: Path) -> None:
    """Move the project staged inside the empty `folder` into it, the settings last (until then it is no project);
    on failure, take out what was moved. Replacing the folder lost its mode, owner, group and access list (a
    folder made ready for a team came out 0755 and the runner's), and failed on a mount point and on `.`
    (twentieth pass)."""
    names = sorted((entry.name for entry in staging.iterdir()), key=lambda name: name == "handouts.yaml")
    moved: list[Path] = []
    try:
        for name in names:
            _move_in(staging / name, folder / name)
            moved.append(folder / name)
        staging.rmdir()
    except (OSError, _Appeared):
        for path in moved:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
        raise


class _Appeared(Exception):
    """A name in the folder init fills was taken while init ran (another init, a sync client): never replaced."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path} appeared while the project was being made (another `handouts init`, or a program "
                         "writing there?); nothing was written and it was left as it is; give an empty folder")


def _move_in(source: Path, target: Path) -> None:
    """Move a staged file or folder into the folder being filled, never replacing what has its name by then:
    `os.rename` replaces a file, and two inits of one empty folder at once each replaced the other's README.md,
    then the refused one deleted it taking its own files out (twenty-sixth pass)."""
    if not source.is_dir():
        try:
            os.link(source, target, follow_symlinks=False)  # fails if the name is taken: no window at all
        except FileExistsError:
            raise _Appeared(target) from None
        except OSError:  # no hard links here (FAT, some shares): look just before the rename
            if os.path.lexists(target):
                raise _Appeared(target) from None
            os.rename(source, target)
            return
        os.unlink(source)
        return
    if os.path.lexists(target):  # a folder: rename replaces only an empty one, refused here all the same
        raise _Appeared(target)
    os.rename(source, target)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
