"""Every `mlqa.…` name that README, CONTRIBUTING or a notebook's text mentions exists, and is callable where
the text calls it."""

import importlib
import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
# mlqa.parallel.launch(  ->  ("mlqa.parallel.launch", "(")
NAME = re.compile(r"(?<![\w/.-])(mlqa(?:\.[A-Za-z_]\w*)+)(\()?")


def documents() -> dict[str, str]:
    texts = {name: (ROOT / name).read_text(encoding="utf-8") for name in ("README.md", "CONTRIBUTING.md")}
    for path in sorted((ROOT / "notebooks").glob("q*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        texts[path.name] = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    return texts


def resolve(dotted: str):
    """The object a dotted name refers to: the longest importable module prefix, then attributes."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for attr in parts[cut:]:
            obj = getattr(obj, attr)
        return obj
    raise ModuleNotFoundError(dotted)


MENTIONS = sorted({(doc, m.group(1), bool(m.group(2))) for doc, text in documents().items()
                   for m in NAME.finditer(text)})


def test_the_documents_mention_mlqa_names():
    assert len(MENTIONS) >= 10


@pytest.mark.parametrize("doc, name, called", MENTIONS, ids=[f"{d}:{n}{'()' if c else ''}" for d, n, c in MENTIONS])
def test_a_documented_name_exists_and_calls_are_callable(doc, name, called):
    try:
        obj = resolve(name.rstrip("."))
    except (ModuleNotFoundError, AttributeError) as error:
        pytest.fail(f"{doc} mentions {name}, which does not exist ({error})")
    if called:
        assert callable(obj), f"{doc} calls {name}(...), but it is a {type(obj).__name__}, not callable"
