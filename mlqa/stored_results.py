"""Results of long experiments stored as small JSON files inside the package, with the command that made them."""

import datetime
import json
import re
import sys
from pathlib import Path


def save_results(folder: Path, name: str, rows: list[dict], settings: dict) -> Path:
    """Write `folder`/<name>.json: the rows, the command that made them, the UTC date and the settings."""
    path = folder / f"{name}.json"
    record = {
        "command": f"python -m mlqa.{folder.parent.name} " + " ".join(sys.argv[1:]),
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "settings": settings,
        "rows": rows,
    }
    path.write_text(json.dumps(record, indent=1) + "\n")
    return path


def _natural_order(path: Path) -> list:
    """File names with their numbers compared as numbers: labels-500 before labels-2000."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", path.name)]


def load_records(folder: Path, name: str) -> list[dict]:
    """Every stored `folder`/<name>*.json (a run may be stored in parts, one file per seed, say), in natural order."""
    paths = sorted(folder.glob(f"{name}*.json"), key=_natural_order)
    if not paths:
        raise FileNotFoundError(f"no stored results {folder}/{name}*.json; make them with "
                                f"python -m mlqa.{folder.parent.name} {name}")
    return [json.loads(path.read_text()) for path in paths]
