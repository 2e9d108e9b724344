"""The package layout is the architecture: each layer imports only from its own layer and those below it."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "generator"
# Lowest first. A module may import from its own layer and any layer before it, never from one after it.
LAYERS = ["content", "review", "render", "translators", "(top)", "serve", "cli"]
TOP_MODULES = {"build", "incremental", "watch", "scaffold", "__init__"}
MAX_TOP_MODULES = 8
MAX_LINES = 420


def layer_of(module: str) -> str:
    """The layer of a dotted module name inside `generator` ('generator.render.layout' → 'render')."""
    parts = module.split(".")[1:]
    if not parts or parts[0] in TOP_MODULES:
        return "(top)"
    if parts[0] in ("cli", "__main__"):
        return "cli"
    return parts[0] if parts[0] in LAYERS else "(top)"


def imports_of(path: Path) -> list[tuple[int, str]]:
    """Every `generator…` module a file imports, with the line of the import (deferred imports included)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("generator"):
            names = [f"{node.module}.{a.name}" for a in node.names] if node.module == "generator" else [node.module]
            found += [(node.lineno, n) for n in names]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("generator")]
    return found


def module_name(path: Path, package: Path) -> str:
    rel = path.relative_to(package.parent).with_suffix("")
    return ".".join(rel.parts[:-1] if rel.name == "__init__" else rel.parts)


def upward_imports(package: Path) -> list[str]:
    """`file:line: layer imports module (its layer)` for every import that runs up the layers."""
    wrong = []
    for path in sorted(package.rglob("*.py")):
        here = layer_of(module_name(path, package))
        for line, target in imports_of(path):
            if target == "generator.__version__":
                continue
            there = layer_of(target)
            if LAYERS.index(there) > LAYERS.index(here):
                wrong.append(f"{path.relative_to(package.parent)}:{line}: {here} imports {target} ({there})")
    return wrong


def test_no_module_imports_from_a_layer_above_its_own() -> None:
    wrong = upward_imports(PACKAGE)
    assert not wrong, "\n".join(wrong)


def test_the_top_level_holds_few_modules_and_every_module_is_short() -> None:
    top = sorted(p.stem for p in PACKAGE.glob("*.py"))
    assert len(top) <= MAX_TOP_MODULES, top
    long = [f"{p.relative_to(PACKAGE.parent)}: {n} lines" for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES]
    assert not long, long


def test_the_layer_check_sees_a_wrong_import(tmp_path: Path) -> None:
    fake = tmp_path / "generator"
    (fake / "content").mkdir(parents=True)
    (fake / "content" / "model.py").write_text("def f():\n    from generator.render.layout import render\n")
    (fake / "build.py").write_text("from generator.cli import main\nfrom generator.content import model\n")
    assert upward_imports(fake) == [
        "generator/build.py:1: (top) imports generator.cli (cli)",
        "generator/content/model.py:2: content imports generator.render.layout (render)",
    ]


def test_every_subpackage_ships_in_the_wheel() -> None:
    import tomllib

    listed = set(tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    packages = {module_name(p, PACKAGE) for p in PACKAGE.rglob("__init__.py")}
    assert packages <= listed, f"add to [tool.setuptools] packages in pyproject.toml: {sorted(packages - listed)}"
