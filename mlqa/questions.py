"""The registry of the book's questions and their notebooks: README, CLI and tests all read it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

REPO_URL = "https://github.com/mlqa-book/mlqa"
NOTEBOOKS_DIR = Path(__file__).resolve().parents[1] / "notebooks"


@dataclass(frozen=True)
class Question:
    """One book question: number, title, part, notebook slug, the mlqa package holding its code, status."""

    number: int
    title: str
    part: str
    slug: str
    package: str = ""
    available: bool = False
    budget_s: int = 60  # the most seconds its notebook may take under nbval on a 2-core CPU

    @property
    def notebook(self) -> str:
        """The notebook's file name, e.g. `q07-multi-gpu-training-paradigms.ipynb`."""
        return f"q{self.number:02d}-{self.slug}.ipynb"

    @property
    def status(self) -> str:
        """'notebook' when the notebook exists, else 'planned'."""
        return "notebook" if self.available else "planned"

    @property
    def colab_url(self) -> str:
        """Link that opens the notebook on Google Colab."""
        return f"https://colab.research.google.com/github/{REPO_URL.split('github.com/')[1]}/blob/main/" \
               f"notebooks/{self.notebook}"


_P1, _P2, _P3 = "I. Neural networks and deep learning", "II. Computer vision", "III. Natural language processing"
_P4, _P5 = "IV. Production and deployment", "V. Predictive performance and model evaluation"

START_HERE = Question(0, "Start Here", "Start here", "start-here", available=True)

QUESTIONS: list[Question] = [
    Question(1, "Embeddings, Latent Space, and Representations", _P1, "embeddings", "mlqa.representation",
             available=True),
    Question(2, "Self-Supervised Learning", _P1, "self-supervised-learning", "mlqa.selfsupervised",
             available=True),
    Question(3, "Few-Shot Learning", _P1, "few-shot-learning", "mlqa.fewshot", available=True),
    Question(4, "The Lottery Ticket Hypothesis", _P1, "lottery-ticket-hypothesis", "mlqa.regularization",
             available=True),
    Question(5, "Reducing Overfitting with Data", _P1, "reducing-overfitting-with-data", "mlqa.regularization",
             available=True),
    Question(6, "Reducing Overfitting with Model Modifications", _P1, "reducing-overfitting-with-models",
             "mlqa.regularization", available=True),
    Question(7, "Multi-GPU Training Paradigms", _P1, "multi-gpu-training-paradigms", "mlqa.parallel", available=True,
             budget_s=120),
    Question(8, "The Success of Transformers", _P1, "success-of-transformers", "mlqa.transformer", available=True),
    Question(9, "Generative AI Models", _P1, "generative-ai-models", "mlqa.generative", available=True),
    Question(10, "Sources of Randomness", _P1, "sources-of-randomness", "mlqa.randomness", available=True),
    Question(11, "Calculating the Number of Parameters", _P2, "number-of-parameters", "mlqa.vision", available=True),
    Question(12, "Fully Connected and Convolutional Layers", _P2, "fully-connected-and-convolutional",
             "mlqa.vision", available=True),
    Question(13, "Large Training Sets for Vision Transformers", _P2, "vision-transformers-data",
             "mlqa.vision", available=True),
    Question(14, "The Distributional Hypothesis", _P3, "distributional-hypothesis", "mlqa.text", available=True),
    Question(15, "Data Augmentation for Text", _P3, "text-data-augmentation", "mlqa.text", available=True),
    Question(16, "Self-Attention", _P3, "self-attention", "mlqa.transformer", available=True),
    Question(17, "Encoder- and Decoder-Style Transformers", _P3, "encoder-and-decoder-transformers",
             "mlqa.transformer", available=True, budget_s=120),
    Question(18, "Using and Fine-Tuning Pretrained Transformers", _P3, "finetuning-pretrained-transformers",
             "mlqa.finetuning", available=True),
    Question(19, "Evaluating Generative Large Language Models", _P3, "evaluating-llms",
             "mlqa.llm_eval", available=True),
    Question(20, "Stateless and Stateful Training", _P4, "stateless-and-stateful-training",
             "mlqa.production", available=True),
    Question(21, "Data-Centric AI", _P4, "data-centric-ai", "mlqa.production", available=True),
    Question(22, "Speeding Up Inference", _P4, "speeding-up-inference", "mlqa.production", available=True),
    Question(23, "Data Distribution Shifts", _P4, "data-distribution-shifts", "mlqa.production", available=True),
    Question(24, "Poisson and Ordinal Regression", _P5, "poisson-and-ordinal-regression",
             "mlqa.evaluation", available=True),
    Question(25, "Confidence Intervals", _P5, "confidence-intervals", "mlqa.evaluation", available=True),
    Question(26, "Confidence Intervals Versus Conformal Predictions", _P5, "conformal-predictions",
             "mlqa.evaluation", available=True),
    Question(27, "Proper Metrics", _P5, "proper-metrics", "mlqa.evaluation", available=True),
    Question(28, "The k in k-Fold Cross-Validation", _P5, "k-fold-cross-validation", "mlqa.evaluation",
             available=True),
    Question(29, "Training and Test Set Discrepancies", _P5, "train-test-discrepancies", "mlqa.evaluation",
             available=True),
    Question(30, "Limited Labeled Data", _P5, "limited-labeled-data", "mlqa.limited", available=True, budget_s=180),
]


def get_question(number: int) -> Question:
    """The registry entry for book question `number` (0 is the start-here notebook)."""
    for q in [START_HERE, *QUESTIONS]:
        if q.number == number:
            return q
    raise ValueError(f"no book question {number}; the book has questions 1 to {len(QUESTIONS)}")


def question_table_markdown() -> str:
    """The README's table of questions, with notebook and Colab links for those that exist."""
    rows = ["| # | Question | Part | Notebook | Colab |", "|---|---|---|---|---|"]
    for q in [START_HERE, *QUESTIONS]:
        if q.available:
            nb = f"[{q.notebook}](notebooks/{q.notebook})"
            colab = f"[Open in Colab]({q.colab_url})"
        else:
            nb, colab = "planned", ""
        rows.append(f"| {q.number} | {q.title} | {q.part} | {nb} | {colab} |")
    return "\n".join(rows)


def book_map_figure():
    """A map of the book's 30 questions by part, with the ones that have a notebook highlighted."""
    import matplotlib.pyplot as plt

    from mlqa.utils import use_style

    use_style()
    parts = list(dict.fromkeys(q.part for q in QUESTIONS))
    fig, ax = plt.subplots(figsize=(9, 3.2))
    for row, part in enumerate(parts):
        for col, q in enumerate(q for q in QUESTIONS if q.part == part):
            color = "#2a9d8f" if q.available else "#e9ecef"
            ax.add_patch(plt.Rectangle((col, -row), 0.92, 0.85, color=color))
            ax.text(col + 0.46, -row + 0.42, str(q.number), ha="center", va="center",
                    color="white" if q.available else "#495057", fontsize=10, weight="bold")
        ax.text(-0.2, -row + 0.42, part, ha="right", va="center", fontsize=9)
    ax.set_xlim(-0.1, 10.1)
    ax.set_ylim(-len(parts) + 0.8, 1)
    ax.axis("off")
    ax.set_title("The book's questions; green ones have a notebook")
    return fig
