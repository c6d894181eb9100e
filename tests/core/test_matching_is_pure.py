import ast
import subprocess
import sys
from pathlib import Path

MATCHING = Path(__file__).resolve().parents[2] / "src" / "meute" / "matching"


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_no_matching_module_imports_django():
    """No source file of meute.matching imports Django."""
    offenders = [
        str(path.relative_to(MATCHING))
        for path in MATCHING.rglob("*.py")
        if any(name == "django" or name.startswith("django.") for name in _imported_modules(path))
    ]
    assert offenders == []


def test_importing_matching_loads_no_django():
    """Importing the engines leaves Django out of sys.modules."""
    code = (
        "import importlib, pkgutil, sys, meute.matching as m\n"
        "for info in pkgutil.walk_packages(m.__path__, 'meute.matching.'):\n"
        "    importlib.import_module(info.name)\n"
        "print(any(name == 'django' or name.startswith('django.') for name in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
