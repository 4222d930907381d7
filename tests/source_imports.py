"""The gongkai modules a Python source imports, read from its syntax tree (for the import tests)."""

from __future__ import annotations

import ast


def gongkai_imports(source: str) -> list[tuple[int, str]]:
    """(line, module) of every absolute import of ``gongkai`` or a module under it."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found += [(node.lineno, n) for n in names if n == "gongkai" or n.startswith("gongkai.")]
    return found
