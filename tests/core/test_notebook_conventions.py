"""Every notebook follows CONTRIBUTING.md: title, goals, setup cell, sections, quiz, references, clean outputs."""

import re

import nbformat
import pytest

from mlqa.questions import NOTEBOOKS_DIR, get_question

NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("q*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_follows_the_conventions(path):
    number = int(re.match(r"q(\d\d)-", path.name).group(1))
    question = get_question(number)
    assert path.name == question.notebook
    nb = nbformat.read(path, as_version=4)
    first = nb.cells[0]
    assert first.cell_type == "markdown"
    assert first.source.startswith(f"# Q{number:02d}. {question.title}\n")
    assert "## What you will learn" in first.source
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for heading in ("## Summary", "## Quiz", "## References"):
        assert heading in markdown, f"{path.name} lacks a '{heading}' section"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "import mlqa" in code[0].source and "%pip install" in code[0].source, "first code cell is the setup"
    assert any(f"show_quiz({number})" in c.source for c in code), "the quiz cell is missing"
    counts = [c.execution_count for c in code]
    assert counts == list(range(1, len(code) + 1)), f"{path.name} must be stored executed top to bottom"
    for c in code:
        assert not any(o.output_type == "error" for o in c.outputs), f"stored error in: {c.source[:60]!r}"
    assert any(c.outputs for c in code), "outputs must be stored"
    assert sum("assert " in c.source for c in code) >= 1, "claims must be asserted in code"
    for target in re.findall(r"\]\((q\d\d-[a-z0-9-]+\.ipynb)\)", markdown):
        assert (NOTEBOOKS_DIR / target).exists(), f"{path.name} links {target}, which does not exist"
