"""Every figure mlqa draws, by name: `python -m mlqa figures` writes each to figures/<name>.png.

One registration point per package: each topic package lists its figures in a `FIGURES` dict in its
`__init__` (name -> "module:function", the function takes no arguments and returns a matplotlib Figure).
This module finds the packages through the question registry, so the core never imports them by name.
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import Callable

from mlqa.questions import QUESTIONS

# Figures of the core itself (the start-here notebook).
CORE_FIGURES: dict[str, str] = {"q00-book-map": "mlqa.questions:book_map_figure"}


def question_packages() -> list[str]:
    """The packages named in the question registry that exist, each once, in question order."""
    packages = []
    for q in QUESTIONS:
        if q.package and q.package not in packages and importlib.util.find_spec(q.package) is not None:
            packages.append(q.package)
    return packages


def all_figures() -> dict[str, str]:
    """Every registered figure: the core's and each question package's `FIGURES`."""
    figures = dict(CORE_FIGURES)
    for package in question_packages():
        for name, target in getattr(importlib.import_module(package), "FIGURES", {}).items():
            if name in figures:
                raise ValueError(f"figure {name!r} is registered twice ({figures[name]} and {target})")
            figures[name] = target
    return figures


def load_figure_function(name: str) -> Callable:
    """Import the function that draws figure `name`."""
    figures = all_figures()
    if name not in figures:
        raise ValueError(f"unknown figure {name!r}; known: {', '.join(sorted(figures))}")
    module, func = figures[name].split(":")
    return getattr(importlib.import_module(module), func)
