"""Command line: `python -m mlqa check | list | figures | readme`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mlqa.environment import environment_checks
from mlqa.questions import QUESTIONS, START_HERE, question_table_markdown

README_START, README_END = "<!-- questions:start -->", "<!-- questions:end -->"


def cmd_check() -> int:
    """Print OK/FAIL per requirement; non-zero exit on any FAIL."""
    checks = environment_checks()
    for name, ok, detail in checks:
        print(f"{'OK  ' if ok else 'FAIL'}  {name}: {detail}")
    failed = [name for name, ok, _ in checks if not ok]
    print("all checks passed" if not failed else f"{len(failed)} check(s) failed: {', '.join(failed)}")
    return 1 if failed else 0


def cmd_list() -> int:
    """Print every question with the package holding its code and its notebook (or 'planned')."""
    for q in [START_HERE, *QUESTIONS]:
        where = f"notebooks/{q.notebook}" if q.available else "planned"
        print(f"Q{q.number:02d}  {q.title:<50} {q.package or 'mlqa':<20} {where}")
    return 0


def cmd_figures(names: list[str]) -> int:
    """Regenerate figures/ (all, or the names given)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from mlqa.figures import all_figures, load_figure_function
    from mlqa.utils import save_figure

    try:
        from tqdm.auto import tqdm
    except ImportError:  # pragma: no cover - tqdm is a dependency
        def tqdm(x, **_):
            return x
    for name in tqdm(names or sorted(all_figures()), desc="figures"):
        fig = load_figure_function(name)()
        print(f"wrote {save_figure(fig, name)}")
        plt.close(fig)
    return 0


def render_readme(text: str) -> str:
    """README text with the question table between its markers regenerated from the registry."""
    if README_START not in text or README_END not in text:
        raise ValueError(f"README has no {README_START} ... {README_END} markers")
    head, rest = text.split(README_START, 1)
    _, tail = rest.split(README_END, 1)
    return f"{head}{README_START}\n{question_table_markdown()}\n{README_END}{tail}"


def cmd_readme(path: Path) -> int:
    """Rewrite the question table in README.md from the registry."""
    path.write_text(render_readme(path.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"updated {path}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mlqa", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("check", help="check that this environment can run the notebooks")
    sub.add_parser("list", help="list the book's questions and their notebooks")
    figures = sub.add_parser("figures", help="regenerate the figures in figures/")
    figures.add_argument("names", nargs="*", help="figure names (default: all)")
    readme = sub.add_parser("readme", help="regenerate the question table in README.md")
    readme.add_argument("--path", type=Path, default=Path(__file__).resolve().parents[1] / "README.md")
    args = parser.parse_args(argv)
    if args.command == "check":
        return cmd_check()
    if args.command == "list":
        return cmd_list()
    if args.command == "figures":
        return cmd_figures(args.names)
    return cmd_readme(args.path)


if __name__ == "__main__":
    sys.exit(main())
