"""Which technique when: a few questions about your data mapped to the Q30 techniques that fit (Q30).

`recommend` is the pure rule table; `guide_widget` asks the same questions with ipywidgets; `guide_figure`
draws the table as a static chart. Each recommendation links to its section of the Q30 notebook.
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np

from mlqa.utils import use_style

# technique -> (notebook section, title); anchors in the notebook are `#<technique>`.
SECTIONS: dict[str, tuple[str, str]] = {
    "learning-curves": ("1", "More labels: learning curves"),
    "augmentation": ("2", "Augmentation and synthetic samples"),
    "transfer": ("3", "Transfer learning"),
    "self-supervised": ("4", "Self-supervised pretraining"),
    "active-learning": ("5", "Active learning"),
    "few-shot": ("6", "Few-shot learning"),
    "meta-learning": ("7", "Meta-learning"),
    "weak-supervision": ("8", "Weak supervision"),
    "semi-supervised": ("9", "Semi-supervised learning"),
    "self-training": ("10", "Self-training and distillation"),
    "multi-task": ("11", "Multi-task learning"),
    "multi-modal": ("12", "Multi-modal learning"),
    "inductive-bias": ("13", "Inductive biases"),
    "exercise-30a": ("14", "Exercise 30-A: unlabeled + related data"),
    "exercise-30b": ("15", "Exercise 30-B: confidence beyond softmax"),
}

# question -> (its wording, [(technique, why a "yes" points there)]); order = how cheap the technique is to try.
QUESTIONS: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "can_label_more": ("Can you pay for more labels?", [
        ("learning-curves", "read the learning curve first: while it still climbs, more labels pay"),
        ("active-learning", "spend the labeling budget on the samples the model is least sure about"),
        ("exercise-30b", "MC dropout or an ensemble give query scores beyond one softmax")]),
    "structured_inputs": ("Do the inputs have a known structure (images, audio, text)?", [
        ("augmentation", "transforms that keep the label make extra samples for free"),
        ("inductive-bias", "an architecture with the right prior (a CNN for images) needs fewer labels")]),
    "related_labeled": ("Is there related labeled data or a pretrained model?", [
        ("transfer", "pretrain on the related data, then finetune on your few labels")]),
    "unlabeled": ("Is there plenty of unlabeled data from the same source?", [
        ("semi-supervised", "let the unlabeled points' cluster structure carry the few labels"),
        ("self-training", "a teacher pseudo-labels the pool; a student learns from its soft targets"),
        ("self-supervised", "pretrain a representation on the pool with a pretext task, then probe it")]),
    "unlabeled_and_related": ("Both unlabeled and related labeled data?", [
        ("exercise-30a", "chain them: self-supervised and transfer pretraining, then finetune")]),
    "domain_rules": ("Can you write domain knowledge as rules?", [
        ("weak-supervision", "labeling functions plus a label model give many noisy labels")]),
    "new_classes": ("Do new classes arrive with only a handful of examples each?", [
        ("few-shot", "a metric learned on other classes classifies new ones from a few examples"),
        ("meta-learning", "train across many small tasks so the model learns how to learn one")]),
    "several_tasks": ("Do you have labels for several related tasks?", [
        ("multi-task", "share parameters so every task's labels train the common part")]),
    "several_modalities": ("Is the data paired across modalities (image + text, two sensors)?", [
        ("multi-modal", "a matching loss between modalities learns from the pairing itself")]),
}


@dataclass(frozen=True)
class Recommendation:
    """One technique the guide recommends, why, and where the notebook covers it (Q30)."""

    technique: str
    reason: str

    @property
    def section(self) -> str:
        """The notebook section number and title, e.g. '5. Active learning'."""
        number, title = SECTIONS[self.technique]
        return f"{number}. {title}"

    @property
    def link(self) -> str:
        """A markdown link to the section's anchor in the Q30 notebook."""
        return f"[{self.section}](#{self.technique})"


def recommend(labels_per_class: int, unlabeled: bool = False, related_labeled: bool = False,
              can_label_more: bool = False, domain_rules: bool = False, new_classes: bool = False,
              several_tasks: bool = False, several_modalities: bool = False,
              structured_inputs: bool = False) -> list[Recommendation]:
    """The techniques that fit a data situation, cheapest to try first, without duplicates (Q30)."""
    if isinstance(labels_per_class, bool) or not isinstance(labels_per_class, (int, np.integer)):
        raise ValueError(f"labels_per_class must be an integer, got {labels_per_class!r}")
    if labels_per_class < 0:
        raise ValueError(f"labels_per_class must be >= 0, got {labels_per_class}")
    answers = {"can_label_more": can_label_more, "structured_inputs": structured_inputs,
               "related_labeled": related_labeled, "unlabeled": unlabeled,
               "unlabeled_and_related": unlabeled and related_labeled, "domain_rules": domain_rules,
               "new_classes": new_classes or labels_per_class == 0, "several_tasks": several_tasks,
               "several_modalities": several_modalities}
    picked: dict[str, Recommendation] = {}
    for question, (_, techniques) in QUESTIONS.items():
        if answers[question]:
            for technique, reason in techniques:
                picked.setdefault(technique, Recommendation(technique, reason))
    if not picked:
        picked["learning-curves"] = Recommendation(
            "learning-curves", "nothing else to lean on: measure how accuracy grows with labels, then label more")
    return list(picked.values())


def guide_figure() -> plt.Figure:
    """The guide as a chart: which "yes" answer points to which technique (Q30)."""
    use_style()
    questions = list(QUESTIONS)
    techniques = list(SECTIONS)
    grid = np.zeros((len(questions), len(techniques)))
    for i, question in enumerate(questions):
        for technique, _ in QUESTIONS[question][1]:
            grid[i, techniques.index(technique)] = 1
    fig, ax = plt.subplots(figsize=(11, 5.2))
    rows, cols = np.nonzero(grid)
    ax.scatter(cols, rows, s=160, color="tab:blue")
    ax.set_xticks(range(len(techniques)), [f"{SECTIONS[t][0]}. {t}" for t in techniques], rotation=45,
                  ha="right")
    ax.set_yticks(range(len(questions)), [QUESTIONS[q][0] for q in questions])
    ax.set_xlim(-0.5, len(techniques) - 0.5)
    ax.set_ylim(len(questions) - 0.5, -0.5)
    ax.grid(True, alpha=0.3)
    ax.set_title("Which technique when: answer yes to a row, try the dotted columns (Q30)")
    fig.tight_layout()
    return fig


def guide_widget():
    """Ask the guide's questions with ipywidgets and show the recommended sections as links (Q30)."""
    import ipywidgets as widgets
    from IPython.display import Markdown, display

    labels = widgets.BoundedIntText(value=5, min=0, max=100_000, description="labels/class")
    switches = {key: widgets.Checkbox(value=False, description=wording, indent=False,
                                      layout=widgets.Layout(width="auto"))
                for key, (wording, _) in QUESTIONS.items() if key != "unlabeled_and_related"}
    output = widgets.Output()

    def refresh(_change=None) -> None:
        chosen = recommend(labels.value, **{key: box.value for key, box in switches.items()})
        output.clear_output()
        with output:
            display(Markdown("\n".join(f"- {r.link}: {r.reason}" for r in chosen)))

    for control in [labels, *switches.values()]:
        control.observe(refresh, names="value")
    refresh()
    return widgets.VBox([labels, *switches.values(), output])
