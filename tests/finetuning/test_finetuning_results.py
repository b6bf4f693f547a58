"""The stored Q18 comparisons: complete, consistent, and drawable (Q18)."""

import matplotlib
import pytest

from mlqa.finetuning import ARMS, load_rows, summarise
from mlqa.finetuning.plots import adaptation_figure, icl_figure, lora_rank_figure

matplotlib.use("Agg")


def test_every_seed_has_every_arm_with_one_trainable_count_per_arm():
    rows = load_rows("compare")
    seeds = {row["seed"] for row in rows}
    assert len(seeds) >= 2
    assert sorted((row["seed"], row["arm"]) for row in rows) == sorted((s, a) for s in seeds for a in ARMS)
    counts = {(row["arm"], row["trainable"]) for row in rows}
    assert len(counts) == len(ARMS)


def test_in_context_rows_cover_zero_to_four_shots_both_ways():
    rows = load_rows("icl")
    assert {(r["shots"], r["flipped"]) for r in rows} == {(s, f) for s in range(5) for f in (False, True)}


def test_summarise_refuses_rows_without_the_key():
    with pytest.raises(ValueError, match="'accuracy'"):
        summarise([{"arm": "lora"}])


def test_figures_draw():
    for draw in (adaptation_figure, icl_figure, lora_rank_figure):
        assert draw().axes
