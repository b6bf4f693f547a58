"""A small hand-made set where the metrics disagree with meaning: paraphrases, fluent wrong answers (Q19)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Case:
    """A reference, a paraphrase with the same meaning, a fluent answer that is wrong and an unrelated one (Q19)."""

    reference: str
    paraphrase: str
    wrong: str
    unrelated: str


CASES = (
    Case("The meeting was moved to Friday because the manager was ill.",
         "Since the boss was sick, they postponed the meeting until Friday.",
         "The meeting was moved to Monday because the manager was busy.",
         "Bananas are rich in potassium and easy to carry."),
    Case("The drug lowered blood pressure in most patients.",
         "Most people who took the medicine saw their blood pressure drop.",
         "The drug raised blood pressure in most patients.",
         "The train to the coast leaves every hour."),
    Case("Paris is the capital of France.",
         "France's capital city is Paris.",
         "Paris is the capital of Germany.",
         "My sister plays the violin on weekends."),
    Case("The cat is sleeping on the warm sofa.",
         "On the warm couch, the cat is asleep.",
         "The dog is sleeping on the warm sofa.",
         "Interest rates rose sharply last quarter."),
    Case("You should water the plant once a week.",
         "Give the plant water every seven days.",
         "You should water the plant once a year.",
         "The museum closes early on public holidays."),
)

# Edge cases the from-scratch metrics must handle like the libraries: (hypothesis, reference, what it tests).
EDGE_CASES = (
    ("", "the cat sat on the mat", "empty hypothesis"),
    ("dogs bark loudly", "the cat sat on the mat", "no overlap"),
    ("the the the the the the", "the cat sat on the mat", "repeated words (clipping)"),
    ("the cat sat on the mat and then it slept for a very long time", "the cat sat on the mat", "longer hypothesis"),
    ("the cat sat on the mat", "the cat sat on the mat", "identical"),
    ("on the mat the cat sat", "the cat sat on the mat", "same words, other order"),
    ("Hello, world! It's 3.5 km -- isn't it?", "hello world it is 3.5 km, isn't it?", "punctuation and case"),
)
