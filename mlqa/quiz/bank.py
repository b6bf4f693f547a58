"""Quiz banks as data, and grading: pure logic with no widgets (used by the views, tests and any front end)."""

from __future__ import annotations

import json
import math
import random
from dataclasses import dataclass, field
from pathlib import Path

BANKS_DIR = Path(__file__).parent / "banks"
KINDS = ("single", "multiple", "numeric", "open")


@dataclass(frozen=True)
class Option:
    """One answer option of a choice question and why it is right or wrong."""

    text: str
    correct: bool
    why: str


@dataclass(frozen=True)
class QuizQuestion:
    """One quiz question of kind single, multiple, numeric or open."""

    id: str
    kind: str
    prompt: str
    explanation: str
    options: tuple[Option, ...] = ()
    answer: float | None = None
    tolerance: float = 0.0
    model_answer: str = ""

    def shuffled_options(self) -> list[Option]:
        """The options in an order that is shuffled, but the same every time for this question."""
        options = list(self.options)
        random.Random(self.id).shuffle(options)
        return options


@dataclass(frozen=True)
class Feedback:
    """The result of grading: correct is None for open questions, which are not graded."""

    correct: bool | None
    message: str


@dataclass
class Bank:
    """All quiz questions for one book question."""

    question: int
    questions: list[QuizQuestion] = field(default_factory=list)


def parse_question(raw: dict) -> QuizQuestion:
    """Build a QuizQuestion from its JSON form, checking it is complete."""
    qid = raw.get("id", "<no id>")
    kind = raw.get("kind")
    if kind not in KINDS:
        raise ValueError(f"question {qid}: unknown kind {kind!r}; use one of {KINDS}")
    for key in ("id", "prompt", "explanation"):
        if not raw.get(key):
            raise ValueError(f"question {qid}: missing {key!r}")
    options = tuple(Option(o["text"], bool(o["correct"]), o.get("why", "")) for o in raw.get("options", []))
    n_correct = sum(o.correct for o in options)
    if kind in ("single", "multiple"):
        if len(options) < 2:
            raise ValueError(f"question {qid}: a {kind} question needs at least 2 options, got {len(options)}")
        if kind == "single" and n_correct != 1:
            raise ValueError(f"question {qid}: a single-choice question needs exactly 1 correct option, "
                             f"got {n_correct}")
        if kind == "multiple" and n_correct < 1:
            raise ValueError(f"question {qid}: a multiple-choice question needs a correct option")
        if any(not o.why for o in options):
            raise ValueError(f"question {qid}: every option needs a 'why'")
        if len({o.text for o in options}) != len(options):
            raise ValueError(f"question {qid}: option texts must be unique")
    if kind == "numeric":
        if not isinstance(raw.get("answer"), (int, float)):
            raise ValueError(f"question {qid}: a numeric question needs a numeric 'answer'")
        if raw.get("tolerance", 0) < 0:
            raise ValueError(f"question {qid}: tolerance must be >= 0")
    if kind == "open" and not raw.get("model_answer"):
        raise ValueError(f"question {qid}: an open question needs a 'model_answer'")
    return QuizQuestion(id=raw["id"], kind=kind, prompt=raw["prompt"], explanation=raw["explanation"],
                    options=options, answer=raw.get("answer"), tolerance=float(raw.get("tolerance", 0.0)),
                    model_answer=raw.get("model_answer", ""))


def load_bank(number: int) -> Bank:
    """Load and validate the quiz bank of book question `number` from banks/qNN.json."""
    path = BANKS_DIR / f"q{number:02d}.json"
    if not path.exists():
        known = sorted(p.stem for p in BANKS_DIR.glob("q*.json"))
        raise ValueError(f"no quiz bank for question {number} ({path.name}); banks exist for {known}")
    raw = json.loads(path.read_text(encoding="utf-8"))
    questions = [parse_question(q) for q in raw["questions"]]
    ids = [q.id for q in questions]
    duplicated = sorted({i for i in ids if ids.count(i) > 1})
    if duplicated:
        raise ValueError(f"{path.name}: duplicate question ids {duplicated}")
    return Bank(int(raw["question"]), questions)


def grade(question: QuizQuestion, response) -> Feedback:
    """Grade a response: option text (single), list of option texts (multiple), number, or None (open)."""
    if question.kind == "open":
        return Feedback(None, f"A model answer: {question.model_answer}")
    if response is None or response == [] or response == "":
        return Feedback(False, "Choose or enter an answer first.")
    if question.kind == "numeric":
        try:
            value = float(response)
        except (TypeError, ValueError):
            return Feedback(False, f"{response!r} is not a number.")
        if math.isclose(value, question.answer, rel_tol=0.0, abs_tol=question.tolerance + 1e-12):
            return Feedback(True, f"Correct: {question.answer:g}. {question.explanation}")
        direction = "high" if value > question.answer else "low"
        return Feedback(False, f"Not quite: {value:g} is too {direction}. {question.explanation}")
    by_text = {o.text: o for o in question.options}
    chosen = [response] if question.kind == "single" else list(response)
    unknown = [c for c in chosen if c not in by_text]
    if unknown:
        raise ValueError(f"question {question.id}: {unknown} are not options of this question")
    if question.kind == "single":
        option = by_text[chosen[0]]
        verdict = "Correct." if option.correct else "Not quite."
        return Feedback(option.correct, f"{verdict} {option.why} {question.explanation}".strip())
    wrong = [by_text[c] for c in chosen if not by_text[c].correct]
    missed = [o for o in question.options if o.correct and o.text not in chosen]
    if not wrong and not missed:
        return Feedback(True, f"Correct. {question.explanation}")
    notes = [f"'{o.text}' is wrong: {o.why.rstrip('.')}" for o in wrong]
    notes += [f"you missed '{o.text}': {o.why.rstrip('.')}" for o in missed]
    return Feedback(False, "Not quite: " + "; ".join(notes) + ".")
