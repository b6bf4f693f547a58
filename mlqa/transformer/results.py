"""Stored results of the Q17 sweeps: small JSON files under mlqa/transformer/results/ (Q17)."""

import statistics
from pathlib import Path

from mlqa.stored_results import load_records

RESULTS_DIR = Path(__file__).parent / "results"


def load_results(name: str) -> list[dict]:
    """The stored records of sweep `name`: every results/<name>*.json, each with command, date, settings, rows (Q17).

    A sweep may be stored in parts (one file per label size, say); their rows together make the sweep.
    """
    return load_records(RESULTS_DIR, name)


def summarise(rows: list[dict], group: tuple[str, ...] = ("labels", "arm")) -> dict[tuple, dict[str, float]]:
    """Mean, standard deviation (0 for one seed) and count of the accuracies of each group (Q17)."""
    groups: dict[tuple, list[float]] = {}
    for row in rows:
        groups.setdefault(tuple(row[key] for key in group), []).append(row["accuracy"])
    return {
        key: {"mean": statistics.fmean(values), "std": statistics.stdev(values) if len(values) > 1 else 0.0,
              "n": len(values)}
        for key, values in groups.items()
    }


def summary_table(rows: list[dict], group: tuple[str, ...] = ("labels", "arm")) -> str:
    """Text table of mean ± std over seeds per group, with the number of seeds (Q17)."""
    lines = []
    for key, stats in summarise(rows, group).items():
        name = "  ".join(f"{value:>5}" if isinstance(value, int) else f"{value:<42}" for value in key)
        lines.append(f"{name}  {stats['mean']:.3f} ± {stats['std']:.3f}  ({stats['n']} seeds)")
    return "\n".join(lines)
