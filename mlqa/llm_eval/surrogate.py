"""Surrogate evaluation: map free-text answers to labels and score accuracy, not n-gram overlap (Q19)."""

import re
from dataclasses import dataclass

LABEL_WORDS = {
    "positive": ("positive", "good", "happy", "pleased", "love"),
    "negative": ("negative", "bad", "angry", "unhappy", "disappointed", "hate"),
}
NEGATIONS = ("not", "isn't", "no", "never")


def answer_label(answer: str) -> str | None:
    """The label an answer commits to: its first label word, flipped after a negation; None if none (Q19)."""
    words = re.findall(r"[a-z']+", answer.lower())
    for i, word in enumerate(words):
        for label, synonyms in LABEL_WORDS.items():
            if word in synonyms:
                negated = i > 0 and words[i - 1] in NEGATIONS
                return next(other for other in LABEL_WORDS if other != label) if negated else label
    return None


def label_accuracy(answers: list[str], labels: list[str]) -> float:
    """Share of answers whose extracted label equals the true label; an answer without a label is wrong (Q19)."""
    if len(answers) != len(labels) or not answers:
        raise ValueError(f"need as many labels as answers (at least one), got {len(answers)} and {len(labels)}")
    unknown = set(labels) - set(LABEL_WORDS)
    if unknown:
        raise ValueError(f"labels must be among {sorted(LABEL_WORDS)}, got {sorted(unknown)}")
    return sum(answer_label(a) == y for a, y in zip(answers, labels)) / len(answers)


@dataclass(frozen=True)
class GeneratedAnswer:
    """A review, its true sentiment and a chatbot-style free-text answer to 'what is the sentiment?' (Q19)."""

    review: str
    label: str
    answer: str


# Hand-made answers, written to look like what a chat model replies; half of them are wrong.
ANSWERS = (
    GeneratedAnswer("The battery died after two days.", "negative", "The sentiment is negative."),
    GeneratedAnswer("Best pizza I have had in years!", "positive", "Positive - the customer loved it."),
    GeneratedAnswer("The staff ignored us for an hour.", "negative", "The sentiment is positive."),
    GeneratedAnswer("Fast shipping and it works perfectly.", "positive", "This reviewer is clearly pleased."),
    GeneratedAnswer("I want my money back.", "negative", "The sentiment is not negative."),
    GeneratedAnswer("Lovely view from the room.", "positive", "The sentiment is negative."),
    GeneratedAnswer("The screen cracked on day one.", "negative", "Bad experience overall."),
    GeneratedAnswer("Would happily buy again.", "positive", "The sentiment is not positive."),
)


def reference_answer(label: str) -> str:
    """The reference text an n-gram metric compares answers with (Q19)."""
    return f"The sentiment is {label}."
