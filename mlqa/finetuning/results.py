"""Stored results of the Q18 comparisons: small JSON files under mlqa/finetuning/results/ (Q18)."""

import statistics
from pathlib import Path

from mlqa.stored_results import load_records

RESULTS_DIR = Path(__file__).parent / "results"


def load_rows(name: str) -> list[dict]:
    """The rows of every stored results/<name>*.json together (one file per seed, say) (Q18)."""
    return [row for record in load_records(RESULTS_DIR, name) for row in record["rows"]]


def summarise(rows: list[dict], key: str = "accuracy") -> dict[str, dict[str, float]]:
    """Per arm: mean, standard deviation (0 for one seed), min, max and count of `key` over seeds (Q18)."""
    if not rows or key not in rows[0]:
        raise ValueError(f"rows must be non-empty dicts with {key!r}; got {len(rows)} rows")
    groups: dict[str, list[float]] = {}
    for row in rows:
        groups.setdefault(row["arm"], []).append(row[key])
    return {arm: {"mean": statistics.fmean(v), "std": statistics.stdev(v) if len(v) > 1 else 0.0,
                  "min": min(v), "max": max(v), "n": len(v)} for arm, v in groups.items()}
