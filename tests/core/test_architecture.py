"""The arrows between the apps run one way (docs/architecture.md):

    admissions -> assessment -> programs -> core
                  pages ------> programs -> core

``core`` (``iop_finder/core`` and ``iop_finder/outbox``: settings-level infrastructure) imports
none of the apps; ``programs`` imports neither public flow nor the staff side; ``assessment``
never imports ``admissions``; nothing imports ``pages`` (only the URL conf and the settings,
which wire everything together). Every import statement of every module is read, including
those inside functions, so a lazy import cannot hide a wrong arrow.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

#: layer -> the folders that make it up
LAYERS = {
    "core": ("iop_finder/core", "iop_finder/outbox"),
    "programs": ("programs",),
    "pages": ("pages",),
    "assessment": ("assessment",),
    "admissions": ("admissions",),
}

#: layer -> the top-level packages its modules must never import
FORBIDDEN = {
    "core": ("programs", "pages", "assessment", "admissions"),
    "programs": ("pages", "assessment", "admissions"),
    "pages": ("assessment", "admissions"),
    "assessment": ("pages", "admissions"),
    "admissions": ("pages",),
}


def imported_modules(source: str) -> set[str]:
    """Every absolute module name an ``import`` or ``from ... import`` in ``source`` names."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def wrong_arrows(layer: str, modules: set[str]) -> list[str]:
    return sorted(module for module in modules if module.split(".")[0] in FORBIDDEN[layer])


def layer_files(layer: str):
    for folder in LAYERS[layer]:
        yield from sorted((ROOT / folder).rglob("*.py"))


@pytest.mark.parametrize("layer", list(LAYERS))
def test_no_module_imports_against_the_arrows(layer):
    files = list(layer_files(layer))
    assert files, f"no modules found for {layer}: is the tree where the test expects it?"
    problems = {
        str(path.relative_to(ROOT)): wrong
        for path in files
        if (wrong := wrong_arrows(layer, imported_modules(path.read_text(encoding="utf-8"))))
    }
    assert problems == {}


def test_the_check_sees_lazy_and_from_imports():
    source = (
        "import os\n"
        "from programs.levels import LEVEL_INFO\n"
        "def f():\n"
        "    import assessment.models\n"
        "    from admissions import audit\n"
        "from . import sibling\n"
    )
    assert wrong_arrows("core", imported_modules(source)) == [
        "admissions",
        "assessment.models",
        "programs.levels",
    ]
    assert wrong_arrows("assessment", imported_modules(source)) == ["admissions"]
    assert wrong_arrows("admissions", imported_modules(source)) == []


def test_nothing_but_the_project_wiring_imports_pages():
    importers = sorted(
        str(path.relative_to(ROOT))
        for folder in ("iop_finder", "programs", "assessment", "admissions")
        for path in (ROOT / folder).rglob("*.py")
        if any(m.split(".")[0] == "pages" for m in imported_modules(path.read_text("utf-8")))
    )
    assert importers == []
