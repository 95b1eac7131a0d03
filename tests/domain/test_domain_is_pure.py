"""The domain core imports nothing from Django (DESIGN "Shape")."""

import ast
from pathlib import Path

DOMAIN = Path(__file__).resolve().parents[2] / "tilskudd" / "domain"


def _allowed(module: str) -> bool:
    """Neither Django nor the Django apps of the project; the domain core and libraries are fine."""
    top = module.split(".")[0]
    if top == "django":
        return False
    return top != "tilskudd" or module == "tilskudd.domain" or module.startswith("tilskudd.domain.")


def test_domain_core_has_no_django_imports():
    offenders = []
    files = sorted(DOMAIN.rglob("*.py"))
    assert files, "the domain package is empty"
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if not _allowed(n)]
    assert offenders == []
