"""Imports flow one way (docs/architecture.md, « Les couches »): read every import of tremplin/ and fail on a
forbidden arrow. The layers and the allowed edges between modules are declared here, in one place.

- `core` imports no other app of tremplin;
- the foundation (`territory`, `accounts`, `structures`, `people`, `ops`) imports `core`, itself and `reports` (the
  indicators' registry), never a module nor the demo;
- `reports` imports the layers below it, never a module: it knows them through its registry;
- a module is every other app (plie, clauses, and the ones to come: mobility, companies, events, funding...):
  it imports the layers below, never another module unless the edge is declared in ALLOWED_EDGES, never the
  demo, except its own demo builder (`<module>.demo`), which uses the demo's shared generator;
- `demo` may import every app.
Imports inside functions count as well. Tests and settings are not checked.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "tremplin"
CORE = "core"
# `ops` (background jobs, health) is infrastructure that every layer may use: it sits with the foundation.
FOUNDATION = {"territory", "accounts", "structures", "people", "ops"}
REPORTS = "reports"
DEMO = "demo"
# Module -> modules it may import (e.g. "mobility": {"companies"} if the mobility module reads the companies').
# Each edge needs a reason in docs/architecture.md; none so far.
ALLOWED_EDGES: dict[str, set[str]] = {}


def apps(root: Path) -> set[str]:
    """The apps of the package: its sub-packages with an apps.py."""
    return {path.parent.name for path in root.glob("*/apps.py")}


def imports(path: Path, root: Path):
    """(line, imported module) of every import of the file (relative ones resolved), in the package or not."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level:
            # The file's package, then up one package per extra dot.
            package = [root.name, *path.relative_to(root).parent.parts]
            base = package[: len(package) - (node.level - 1)]
            yield node.lineno, ".".join([*base, node.module] if node.module else base)
        elif isinstance(node, ast.ImportFrom):
            yield node.lineno, node.module or ""


def is_allowed(source: str, submodule: str, target: str, modules: set[str]) -> bool:
    """Whether app `source` (file in its sub-package `submodule`, e.g. "demo") may import app `target`."""
    if target == source or source == DEMO:
        return True
    if source == CORE:
        return False
    if target == CORE:
        return True
    if source in FOUNDATION:
        return target in FOUNDATION or target == REPORTS
    if source == REPORTS:
        return target in FOUNDATION
    # A module.
    if target in FOUNDATION or target == REPORTS:
        return True
    if target == DEMO:
        return submodule == "demo"
    return target in ALLOWED_EDGES.get(source, set())


def violations(root: Path = ROOT) -> list[str]:
    package = root.name
    known = apps(root)
    modules = known - FOUNDATION - {CORE, REPORTS, DEMO}
    found = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root).parts
        if len(relative) < 2 or relative[0] not in known or "migrations" in relative:
            continue
        source, submodule = relative[0], relative[1].removesuffix(".py")
        for line, imported in imports(path, root):
            parts = imported.split(".")
            if parts[0] != package or len(parts) < 2 or parts[1] not in known:
                continue
            if not is_allowed(source, submodule, parts[1], modules):
                found.append(f"{path.relative_to(root.parent)}:{line}: {source} imports {imported}")
    return found


def test_imports_flow_one_way():
    assert violations() == []


def test_every_app_has_a_layer():
    assert {CORE, REPORTS, DEMO} | FOUNDATION <= apps(ROOT)
    assert {"plie", "clauses"} <= apps(ROOT) - FOUNDATION - {CORE, REPORTS, DEMO}
    assert set(ALLOWED_EDGES) <= apps(ROOT) and all(edges <= apps(ROOT) for edges in ALLOWED_EDGES.values())


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def synthetic(tmp_path):
    """A tremplin-like package whose apps import each other only as allowed."""
    root = tmp_path / "tremplin"
    files = {"__init__.py": ""}
    for app in ("core", "accounts", "people", "reports", "demo", "plie", "clauses", "mobility"):
        files[f"{app}/__init__.py"] = ""
        files[f"{app}/apps.py"] = "from django.apps import AppConfig\n"
    files.update(
        {
            "people/models.py": "from tremplin.core.models import BaseModel\nfrom tremplin.accounts import enums\n",
            "people/indicators.py": "from tremplin.reports.registry import registry\n",
            "plie/views.py": "from tremplin.people.models import Person\nfrom tremplin.core import exports\n",
            "plie/demo/__init__.py": "from tremplin.demo.summary import number\n",
            "mobility/registry.py": "from tremplin.core.modules import modules\n",
            "demo/loader.py": "import tremplin.plie.demo\nfrom tremplin.clauses import models\n",
            "templates/plie/page.py": "from tremplin.clauses import models\n",  # not an app: not read
        }
    )
    return write(root, files)


def test_the_synthetic_package_has_no_violation(synthetic):
    assert violations(synthetic) == []


@pytest.mark.parametrize(
    "name,text,arrow",
    [
        (
            "core/context_processors.py",
            "from tremplin.plie.perms import has_plie_access\n",
            "core imports tremplin.plie",
        ),
        ("core/models.py", "from tremplin.accounts.enums import Role\n", "core imports tremplin.accounts"),
        ("accounts/views.py", "def home():\n    from tremplin.clauses import selectors\n", "accounts imports"),
        ("people/views.py", "import tremplin.mobility.models\n", "people imports tremplin.mobility.models"),
        ("people/demo.py", "from tremplin.demo import context\n", "people imports tremplin.demo"),
        ("plie/services.py", "from tremplin.clauses.models import Placement\n", "plie imports tremplin.clauses"),
        ("mobility/views.py", "from tremplin.plie import perms\n", "mobility imports tremplin.plie"),
        ("plie/views.py", "from tremplin.demo.data import SEED\n", "plie imports tremplin.demo"),
        ("reports/views.py", "from tremplin.plie.indicators import x\n", "reports imports tremplin.plie"),
        ("clauses/sub/deep.py", "from ...plie import models\n", "clauses imports tremplin.plie"),
    ],
)
def test_a_forbidden_arrow_fails(synthetic, name, text, arrow):
    write(synthetic, {name: text})
    found = violations(synthetic)
    assert len(found) == 1 and arrow in found[0], found
    assert found[0].startswith(f"tremplin/{name}:")


def test_a_declared_edge_is_allowed(synthetic, monkeypatch):
    write(synthetic, {"mobility/views.py": "from tremplin.clauses.models import Placement\n"})
    assert violations(synthetic)
    monkeypatch.setitem(ALLOWED_EDGES, "mobility", {"clauses"})
    assert violations(synthetic) == []
