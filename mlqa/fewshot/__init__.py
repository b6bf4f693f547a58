"""Few-shot learning (Q3; also used by Q30): base/novel classes, episodes, prototypical networks, baselines."""

from mlqa.fewshot.classes import (
    BASE_DIGITS,
    NOVEL_DIGITS,
    ClassSet,
    base_and_novel_pairs,
    digit_images_by_class,
    pair_classes,
    rotated_classes,
    rotated_digit_classes,
    split_pairs,
)
from mlqa.fewshot.compare import (
    CONSTRUCTIONS,
    METHODS,
    accuracy_grid,
    class_sets,
    compare_methods,
    meta_training_curve,
    trained_encoders,
)
from mlqa.fewshot.plots import accuracy_figure, episode_figure, plot_accuracy_grid
from mlqa.fewshot.protonet import (
    episode_accuracy,
    mlp_encoder,
    pretrain_classifier,
    prototype_logits,
    sample_episodes,
    train_prototypical,
)

__all__ = [
    "BASE_DIGITS", "NOVEL_DIGITS", "ClassSet", "base_and_novel_pairs", "digit_images_by_class", "pair_classes",
    "rotated_classes", "rotated_digit_classes", "split_pairs",
    "CONSTRUCTIONS", "METHODS", "accuracy_grid", "class_sets", "compare_methods", "meta_training_curve",
    "trained_encoders",
    "accuracy_figure", "episode_figure", "plot_accuracy_grid",
    "episode_accuracy", "mlp_encoder", "pretrain_classifier", "prototype_logits", "sample_episodes",
    "train_prototypical",
]

# Figures drawn by this package (python -m mlqa figures): name -> "module:function".
FIGURES: dict[str, str] = {"q03-episode": "mlqa.fewshot.plots:episode_figure",
                           "q03-accuracy-vs-n-and-k": "mlqa.fewshot.plots:accuracy_figure"}
