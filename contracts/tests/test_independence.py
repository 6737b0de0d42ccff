"""`erp-contracts` is installable alone: it imports only the standard library and pydantic."""

import ast
import sys
import tomllib
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parents[1]
SOURCE = PACKAGE_ROOT / "src" / "erp_contracts"
FORBIDDEN = {"eventkit", "erpctl", "purchasing", "inventory", "sales", "finance", "reporting"}
ALLOWED_THIRD_PARTY = {"pydantic", "pydantic_core", "typing_extensions"}


def imported_roots(path: Path) -> set[str]:
    roots: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def all_imports() -> dict[str, set[str]]:
    files = sorted(SOURCE.rglob("*.py"))
    assert files, f"no sources found under {SOURCE}"
    return {str(path.relative_to(SOURCE)): imported_roots(path) for path in files}


def test_contracts_import_nothing_from_eventkit_the_cli_or_any_service() -> None:
    offenders = {name: roots & FORBIDDEN for name, roots in all_imports().items()}
    assert {name: roots for name, roots in offenders.items() if roots} == {}


def test_contracts_import_only_the_standard_library_and_pydantic() -> None:
    allowed = set(sys.stdlib_module_names) | ALLOWED_THIRD_PARTY | {"erp_contracts"}
    unexpected = {name: roots - allowed for name, roots in all_imports().items()}
    assert {name: roots for name, roots in unexpected.items() if roots} == {}


def test_the_package_depends_on_pydantic_alone() -> None:
    project = tomllib.loads((PACKAGE_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    names = {
        dep.split(">")[0].split("=")[0].split("[")[0].strip()
        for dep in project["project"]["dependencies"]
    }
    assert names == {"pydantic"}
