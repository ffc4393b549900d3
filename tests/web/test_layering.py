"""The web app reaches the library through one adapter, so the package can move beneath it."""

from __future__ import annotations

import ast
from pathlib import Path

WEB = Path(__file__).resolve().parents[2] / "src" / "jixiao" / "web"
ALLOWED = ("jixiao.web", "jixiao.errors", "jixiao.findings")


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return {name for name in found if name == "jixiao" or name.startswith("jixiao.")}


def test_only_engine_imports_the_library():
    for path in sorted(WEB.glob("*.py")):
        if path.name == "engine.py":
            continue
        wrong = {m for m in _imports(path) if not m.startswith(ALLOWED)}
        assert not wrong, f"{path.name} imports {sorted(wrong)}: go through jixiao.web.engine"


def test_the_library_does_not_import_the_web_app():
    src = WEB.parent
    for path in src.rglob("*.py"):
        if WEB in path.parents or path.name == "serve_cmd.py":
            continue
        assert not any(m.startswith("jixiao.web") for m in _imports(path)), path
