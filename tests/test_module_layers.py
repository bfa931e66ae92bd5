"""Views are the top layer: only other views and the wiring (urls.py, apps.py) import them."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("careers", "config", "profiles")


def imported_modules(path: Path, package: str) -> set[str]:
    """Every module a file imports, at any depth, as a dotted name."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
            base = base if node.level else ""
            module = ".".join(part for part in (base, node.module or "") if part)
            found.add(module)
            found |= {f"{module}.{alias.name}" for alias in node.names}
    return found


def view_modules() -> set[str]:
    """The modules an app's urls.py takes its views from."""
    views = set()
    for app in APPS:
        imported = imported_modules(ROOT / app / "urls.py", app)
        views |= {name for name in imported if (ROOT / f"{name.replace('.', '/')}.py").exists()}
    return views


@pytest.mark.parametrize("app", APPS)
def test_no_module_but_views_and_urls_imports_a_views_module(app):
    views = view_modules()
    assert f"{app}.views" in views
    for path in sorted((ROOT / app).rglob("*.py")):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        # urls.py routes to views and apps.py registers page extensions: both are wiring.
        wiring = path.name in {"urls.py", "apps.py"}
        if module in views or wiring or "migrations" in path.parts:
            continue
        package = module.rpartition(".")[0]
        assert not imported_modules(path, package) & views, module
