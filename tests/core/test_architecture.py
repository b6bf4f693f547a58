"""The package pattern of CONTRIBUTING.md, enforced by reading the source (imports and string registries)."""

import ast
import importlib
import re
from pathlib import Path

import pytest

PACKAGE_DIR = Path(__file__).resolve().parents[2] / "mlqa"
# The core: helpers, registry, CLI and quiz. It never depends on a topic package.
CORE_MODULES = {"mlqa", "mlqa.__main__", "mlqa.utils", "mlqa.questions", "mlqa.figures", "mlqa.environment",
                "mlqa.stored_results"}
CORE_PACKAGES = {"quiz"}
# "mlqa.pkg.module:function" strings in registries count as imports of that module.
REGISTRY_STRING = re.compile(r"^(mlqa(?:\.\w+)+):\w+$")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_core(module: str) -> bool:
    parts = module.split(".")
    return module in CORE_MODULES or (len(parts) > 1 and parts[1] in CORE_PACKAGES)


def topic_of(module: str) -> str | None:
    """The topic package a module belongs to ('parallel' for mlqa.parallel.zero), None for the core."""
    return None if is_core(module) else module.split(".")[1]


def referenced_modules(path: Path) -> list[tuple[str, int]]:
    """Every mlqa module a file imports (anywhere, lazily too) or names in a "module:function" string."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    own = module_name(path)
    package = own if path.name == "__init__.py" else own.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names if alias.name.startswith("mlqa")]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            if name.startswith("mlqa"):
                found.append((name, node.lineno))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            match = REGISTRY_STRING.match(node.value)
            if match:
                found.append((match.group(1), node.lineno))
    return found


SOURCES = sorted(PACKAGE_DIR.rglob("*.py"))
TOPICS = sorted(p.name for p in PACKAGE_DIR.iterdir() if (p / "__init__.py").exists() and p.name not in CORE_PACKAGES)


def test_the_core_never_imports_a_topic_package():
    bad = []
    for path in SOURCES:
        if is_core(module_name(path)):
            bad += [f"{path.name}:{line} {name}" for name, line in referenced_modules(path) if topic_of(name)]
    # mlqa.figures finds the topic packages at run time from the package names in the registry, never by import.
    assert not bad, f"the core imports topic packages: {bad}"


def test_topic_packages_use_each_other_only_through_their_top_level_names():
    bad = []
    for path in SOURCES:
        own = topic_of(module_name(path))
        if own is None:
            continue
        for name, line in referenced_modules(path):
            other = topic_of(name)
            if other and other != own and name != f"mlqa.{other}":
                bad.append(f"{module_name(path)}:{line} uses {name} (import from mlqa.{other} instead)")
    assert not bad, "\n".join(bad)


def test_topic_packages_import_each_other_without_cycles():
    graph = {t: set() for t in TOPICS}
    for path in SOURCES:
        own = topic_of(module_name(path))
        for name, _ in referenced_modules(path):
            other = topic_of(name)
            if own and other and other != own:
                graph[own].add(other)

    def visit(node, stack):
        if node in stack:
            raise AssertionError(f"import cycle: {' -> '.join(stack[stack.index(node):] + [node])}")
        for nxt in graph.get(node, ()):
            visit(nxt, stack + [node])

    for topic in TOPICS:
        visit(topic, [])


@pytest.mark.parametrize("topic", TOPICS)
def test_every_topic_package_has_a_front_door(topic):
    package = importlib.import_module(f"mlqa.{topic}")
    assert package.__doc__, f"mlqa.{topic} needs a docstring naming its book questions"
    assert isinstance(getattr(package, "__all__", None), list) and package.__all__, f"mlqa.{topic} lacks __all__"
    missing = [name for name in package.__all__ if not hasattr(package, name)]
    assert not missing, f"mlqa.{topic}.__all__ names what it does not define: {missing}"
    assert isinstance(getattr(package, "FIGURES", None), dict), f"mlqa.{topic} lacks a FIGURES dict"
    for name, target in package.FIGURES.items():
        assert re.fullmatch(r"q\d\d-[a-z0-9-]+", name), f"figure name {name!r} is not 'qNN-<what>'"
        assert target.startswith(f"mlqa.{topic}."), f"figure {name} of mlqa.{topic} is drawn elsewhere: {target}"


def test_every_topic_package_is_named_in_the_registry():
    from mlqa.questions import QUESTIONS

    named = {q.package for q in QUESTIONS}
    assert not [t for t in TOPICS if f"mlqa.{t}" not in named], "a package that no question names"
