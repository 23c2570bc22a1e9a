"""The package's structure: layers that import one way, commands registered in one place, tables from the models."""

from __future__ import annotations

import ast
from pathlib import Path

import typer.main

from iraq_withdrawal.cli.app import app
from iraq_withdrawal.schema import load_schema
from iraq_withdrawal.schema.registry import dated_tables, evidenced_tables, id_tables, record_tables, table_of_id, tables

from .conftest import REPO, invoke

PACKAGE = REPO / "src" / "iraq_withdrawal"

#: Lowest first. A module may import from its own layer and the layers below, never above.
LAYERS = ["errors", "schema", "findings", "io", "validators", "datasets", "cli"]
#: The public facade and the entry point sit on top and may import anything.
TOP = {"__init__", "__main__"}


def _layer(module: str) -> int | None:
    """Layer index of a dotted module name inside the package (``iraq_withdrawal.io.tables`` -> io)."""
    parts = module.split(".")
    if parts[0] != "iraq_withdrawal" or len(parts) < 2:
        return None
    if parts[1] in TOP:
        return len(LAYERS)
    return LAYERS.index(parts[1]) if parts[1] in LAYERS else None


def _module_name(path: Path) -> str:
    relative = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1] if len(parts) > 1 else parts
    return ".".join(parts)


def _imports(path: Path) -> list[tuple[str, int, bool]]:
    """(imported module, line, inside a function) for every import of the package in a file."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nested = {id(n) for f in ast.walk(tree) if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef)) for n in ast.walk(f)}
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            names = [target] if node.module else [f"{target}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        out += [(name, node.lineno, id(node) in nested) for name in names if name.startswith("iraq_withdrawal")]
    return out


def test_layers_import_only_downwards() -> None:
    problems = []
    for path in sorted(PACKAGE.rglob("*.py")):
        source = _module_name(path)
        own = _layer(source) if source != "iraq_withdrawal" else len(LAYERS)
        assert own is not None, f"{source} is in no layer: add its package to LAYERS"
        for target, line, _ in _imports(path):
            layer = _layer(target)
            if layer is not None and layer > own:
                problems.append(f"{path.relative_to(REPO)}:{line} imports {target} ({LAYERS[layer]} is above {LAYERS[own]})")
    assert not problems, "\n".join(problems)


def test_no_deferred_imports_of_the_package() -> None:
    """A deferred import of our own modules hides a cycle; only the public facade defers (to keep `import` cheap)."""
    deferred = [f"{path.relative_to(REPO)}:{line} {target}" for path in sorted(PACKAGE.rglob("*.py")) if path != PACKAGE / "__init__.py"
                for target, line, inside in _imports(path) if inside]
    assert not deferred, "\n".join(deferred)


def _commands(group, prefix=()):
    for name, command in sorted(group.commands.items()):
        yield (*prefix, name), command
        if hasattr(command, "commands"):
            yield from _commands(command, (*prefix, name))


def test_every_command_module_is_registered_and_has_help() -> None:
    group = typer.main.get_command(app)
    callbacks = {getattr(c, "callback", None) for _, c in _commands(group)}
    modules = {c.__module__ for c in callbacks if c is not None} | {"iraq_withdrawal.cli.schema", "iraq_withdrawal.cli.docs"}
    expected = {f"iraq_withdrawal.cli.{p.stem}" for p in (PACKAGE / "cli").glob("*.py") if p.stem not in ("__init__", "app", "options")}
    assert expected <= modules, f"command modules not registered in cli/app.py: {sorted(expected - modules)}"
    for path, command in _commands(group):
        assert command.help, f"{' '.join(path)} has no help text"
        result = invoke(*path, "--help")
        assert result.exit_code == 0, (path, result.output)


def test_table_lists_come_from_the_models() -> None:
    models = load_schema()
    assert tables() == list(models.ROW_MODELS)
    assert record_tables() == list(models.RECORD_MODELS)
    assert set(id_tables()) == {"sources", "actors", "places", "events", "statements", "figures"}
    assert set(evidenced_tables()) == {"sources", "actors", "places", "events", "statements", "figures"}
    assert set(dated_tables()) == {"events", "statements", "figures"}
    assert table_of_id("act-united-states") == "actors" and table_of_id("stm-44bb0898-001") == "statements"
    assert table_of_id("xyz-1") is None
