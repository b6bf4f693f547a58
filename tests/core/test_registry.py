"""The question registry, the README table and the notebooks on disk agree."""

import re
from pathlib import Path

from mlqa.__main__ import main, render_readme
from mlqa.questions import NOTEBOOKS_DIR, QUESTIONS, START_HERE, get_question

ROOT = Path(__file__).resolve().parents[2]


def test_registry_has_the_30_questions_in_order():
    assert [q.number for q in QUESTIONS] == list(range(1, 31))
    assert len({q.slug for q in QUESTIONS}) == 30
    assert all(re.fullmatch(r"[a-z0-9-]+", q.slug) for q in QUESTIONS)


def test_available_means_the_notebook_exists():
    on_disk = {p.name for p in NOTEBOOKS_DIR.glob("q*.ipynb")}
    registered = {q.notebook for q in [START_HERE, *QUESTIONS] if q.available}
    assert on_disk == registered


def test_readme_table_is_generated_from_the_registry():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert render_readme(text) == text, "run `python -m mlqa readme` to regenerate the table"
    for q in QUESTIONS:
        assert q.title in text
        if q.available:
            assert q.colab_url in text


def test_get_question_rejects_unknown_numbers():
    assert get_question(7).slug == "multi-gpu-training-paradigms"
    try:
        get_question(31)
    except ValueError as err:
        assert "questions 1 to 30" in str(err)
    else:
        raise AssertionError("expected a ValueError")


def test_cli_list_and_check(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    for q in QUESTIONS:  # every question on its own line, with its notebook or "planned"
        assert f"Q{q.number:02d}" in out and (q.notebook if q.available else "planned") in out
    assert main(["check"]) == 0
    out = capsys.readouterr().out
    assert "FAIL" not in out and "gloo" in out


def questions_named(text: str) -> set[int]:
    """Question numbers a docstring names: 'Q7', 'Q24-Q29' and 'Q8, Q16, Q17' forms."""
    named = set()
    for first, last in re.findall(r"Q(\d+)(?:\s*[-\u2013]\s*Q(\d+))?", text):
        named.update(range(int(first), int(last or first) + 1))
    return named


def test_every_available_question_names_a_package_that_imports():
    import importlib

    for q in QUESTIONS:
        assert q.package.startswith("mlqa."), f"Q{q.number} names no package"
        if q.available:
            package = importlib.import_module(q.package)
            assert q.number in questions_named(package.__doc__ or ""), f"{q.package}'s docstring lacks Q{q.number}"
            assert q.budget_s > 0


def test_figures_folder_holds_exactly_the_registered_figures():
    from mlqa.figures import all_figures

    figures_dir = Path(__file__).resolve().parents[2] / "figures"
    drawn = {path.stem for path in figures_dir.glob("*.png")}
    registered = set(all_figures())
    assert not registered - drawn, f"registered but never drawn (python -m mlqa figures NAME): {registered - drawn}"
    assert not drawn - registered, f"in figures/ but drawn by no registered function: {drawn - registered}"
