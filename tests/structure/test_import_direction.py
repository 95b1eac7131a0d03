"""Apps import only downwards (DESIGN "Shape"): each app may import from the layers before it, never after.

The order: domain → ui → caselog → organisations/accounts → identity → rounds → applications →
assessment → decisions → reporting (and the later stages) → start pages and demo.
A later stage adds itself to an earlier stage's page through a panel (``ui.panels``)
or a hook, never by being imported by it.
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "tilskudd"

LAYERS = [
    {"domain"},
    {"ui", "backup"},
    {"caselog"},
    {"organisations", "accounts", "logins"},
    {"identity"},
    {"rounds"},
    {"applications"},
    {"assessment"},
    {"decisions"},
    {"reporting"},
    {"settlement"},
    {"amendments"},
    {"publication"},
    {"archive"},
    {"api"},
    {"home", "demo"},
]
LAYER_OF = {app: index for index, apps in enumerate(LAYERS) for app in apps}
# Project-level modules that wire the apps together (settings, root URLs) are not an app.
PROJECT_MODULES = {"settings", "urls", "wsgi", "asgi", "env", "data", "locale", "static", "templates"}


def _apps() -> list[str]:
    return sorted(p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists())


def _imports(path: Path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name


def test_every_app_has_a_layer():
    unknown = [app for app in _apps() if app not in LAYER_OF and app not in PROJECT_MODULES]
    assert not unknown, f"put these apps in LAYERS in {__file__}: {unknown}"


@pytest.mark.parametrize("app", [a for a in LAYER_OF if (PACKAGE / a).is_dir()])
def test_apps_import_only_downwards(app):
    wrong = []
    for path in (PACKAGE / app).rglob("*.py"):
        for lineno, module in _imports(path):
            parts = module.split(".")
            if parts[0] != "tilskudd" or len(parts) < 2:
                continue
            other = parts[1]
            if other in PROJECT_MODULES or other == app:
                continue
            if other not in LAYER_OF or LAYER_OF[other] > LAYER_OF[app]:
                wrong.append(f"{path.relative_to(PACKAGE.parent)}:{lineno} imports {module}")
            elif LAYER_OF[other] == LAYER_OF[app] and app == "accounts" and other == "organisations":
                continue  # one layer: accounts and organisations know each other's models
    assert not wrong, "upward imports:\n" + "\n".join(wrong)


def test_nothing_imports_the_old_web_package():
    offenders = [
        f"{path.relative_to(PACKAGE.parent)}"
        for path in PACKAGE.rglob("*.py")
        if "tilskudd.web" in path.read_text()
    ]
    assert not offenders
