"""How long each notebook takes to execute, against its budget in the question registry.

    python benchmarks/notebooks.py                 # every notebook
    python benchmarks/notebooks.py 7 30            # the notebooks of questions 7 and 30

Each notebook runs top to bottom in a fresh kernel from the notebooks/ folder, as nbval runs it; nothing is
written back. Budgets: 60 s unless the notebook's issue said otherwise (`budget_s` in mlqa/questions.py).
"""

from __future__ import annotations

import argparse
import sys
import time

import nbformat
from nbclient import NotebookClient

from mlqa.questions import NOTEBOOKS_DIR, QUESTIONS, START_HERE, get_question


def run_notebook(path) -> float:
    """Execute a notebook in a fresh kernel and return the wall-clock seconds."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=900, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    client.execute()
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("questions", nargs="*", type=int, help="question numbers (default: every notebook)")
    args = parser.parse_args(argv)
    chosen = [get_question(n) for n in args.questions] or [q for q in [START_HERE, *QUESTIONS] if q.available]
    print(f"{'notebook':<52} {'seconds':>8} {'budget':>7} {'share':>6}")
    over, total = [], 0.0
    for q in chosen:
        path = NOTEBOOKS_DIR / q.notebook
        if not path.exists():
            print(f"{q.notebook:<52} {'missing':>8}")
            continue
        seconds = run_notebook(path)
        total += seconds
        share = seconds / q.budget_s
        over += [q.notebook] if share > 1 else []
        flag = "  OVER" if share > 1 else ""
        print(f"{q.notebook:<52} {seconds:8.1f} {q.budget_s:7d} {share:6.2f}{flag}", flush=True)
    print(f"{'total':<52} {total:8.1f}")
    print(f"{len(over)} notebook(s) over budget: {', '.join(over)}" if over else "every notebook within its budget")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
