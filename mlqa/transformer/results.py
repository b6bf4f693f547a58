"""Stored results of the Q17 sweeps: small JSON files under mlqa/transformer/results/ (Q17)."""

import datetime
import json
import re
import statistics
import sys
from pathlib import Path

RESULTS_DIR = Path(__file__).parent / "results"


def save_results(name: str, rows: list[dict], settings: dict) -> Path:
    """Write rows with the command that made them, the UTC date and the settings (seeds included) (Q17)."""
    path = RESULTS_DIR / f"{name}.json"
    record = {
        "command": "python -m mlqa.transformer " + " ".join(sys.argv[1:]),
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "settings": settings,
        "rows": rows,
    }
    path.write_text(json.dumps(record, indent=1) + "\n")
    return path


def _natural_order(path: Path) -> list:
    """File names with their numbers compared as numbers: labels-500 before labels-2000."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", path.name)]


def load_results(name: str) -> list[dict]:
    """The stored records of sweep `name`: every results/<name>*.json, each with command, date, settings, rows (Q17).

    A sweep may be stored in parts (one file per label size, say); their rows together make the sweep.
    """
    paths = sorted(RESULTS_DIR.glob(f"{name}*.json"), key=_natural_order)
    if not paths:
        raise FileNotFoundError(f"no stored results {RESULTS_DIR}/{name}*.json; make them with "
                                f"python -m mlqa.transformer {name}")
    return [json.loads(path.read_text()) for path in paths]


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
