"""Stored results of the Q18 comparisons: small JSON files under mlqa/finetuning/results/ (Q18)."""

import datetime
import json
import statistics
import sys
from pathlib import Path

RESULTS_DIR = Path(__file__).parent / "results"


def save_results(name: str, rows: list[dict], settings: dict) -> Path:
    """Write rows with the command that made them, the UTC date and the settings (Q18)."""
    path = RESULTS_DIR / f"{name}.json"
    record = {
        "command": "python -m mlqa.finetuning " + " ".join(sys.argv[1:]),
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "settings": settings,
        "rows": rows,
    }
    path.write_text(json.dumps(record, indent=1) + "\n")
    return path


def load_rows(name: str) -> list[dict]:
    """The rows of every stored results/<name>*.json together (one file per seed, say) (Q18)."""
    paths = sorted(RESULTS_DIR.glob(f"{name}*.json"))
    if not paths:
        raise FileNotFoundError(f"no stored results {RESULTS_DIR}/{name}*.json; make them with "
                                f"python -m mlqa.finetuning {name}")
    return [row for path in paths for row in json.loads(path.read_text())["rows"]]


def summarise(rows: list[dict], key: str = "accuracy") -> dict[str, dict[str, float]]:
    """Per arm: mean, standard deviation (0 for one seed), min, max and count of `key` over seeds (Q18)."""
    if not rows or key not in rows[0]:
        raise ValueError(f"rows must be non-empty dicts with {key!r}; got {len(rows)} rows")
    groups: dict[str, list[float]] = {}
    for row in rows:
        groups.setdefault(row["arm"], []).append(row[key])
    return {arm: {"mean": statistics.fmean(v), "std": statistics.stdev(v) if len(v) > 1 else 0.0,
                  "min": min(v), "max": max(v), "n": len(v)} for arm, v in groups.items()}
