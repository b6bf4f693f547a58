"""The quiz every notebook ends with: banks of questions as data, pure grading, core-ipywidgets views.

`show_quiz(7)` shows the bank for book question 7. In JupyterLab, VS Code and Colab the questions are
widgets that grade an answer and say why it is right or wrong; where no widget front end runs (a notebook
rendered on a website, nbval) the same quiz shows as static HTML with the answers folded away.
"""

from __future__ import annotations

import html
import json
import math
import random
from dataclasses import dataclass, field
from pathlib import Path

import ipywidgets as widgets

BANKS_DIR = Path(__file__).parent / "banks"
KINDS = ("single", "multiple", "numeric", "open")
# Long option texts: let labels wrap and keep the radio button / checkbox from being squeezed to nothing.
QUIZ_CSS = """<style>
.mlqa-quiz .widget-radio-box label { display: block; white-space: normal; height: auto; line-height: 1.4;
  margin-bottom: 0.3em; }
.mlqa-quiz .widget-radio-box input { display: inline-block; vertical-align: baseline; margin: 0 0.4em 0 0; }
.mlqa-quiz .widget-checkbox label { white-space: normal; height: auto; line-height: 1.4; }
</style>"""


@dataclass(frozen=True)
class Option:
    """One answer option of a choice question and why it is right or wrong."""

    text: str
    correct: bool
    why: str


@dataclass(frozen=True)
class Question:
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
    questions: list[Question] = field(default_factory=list)


def parse_question(raw: dict) -> Question:
    """Build a Question from its JSON form, checking it is complete."""
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
    return Question(id=raw["id"], kind=kind, prompt=raw["prompt"], explanation=raw["explanation"],
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


def grade(question: Question, response) -> Feedback:
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


class QuestionView:
    """The widgets for one question: an input, a Check button (or Show answer) and the feedback."""

    def __init__(self, question: Question, index: int):
        self.question = question
        self.prompt = widgets.HTML(f"<b>{index}. {html.escape(question.prompt)}</b>")
        self.feedback = widgets.HTML("")
        options = [o.text for o in question.shuffled_options()]
        if question.kind == "single":
            self.input = widgets.RadioButtons(options=options, value=None,
                                              layout=widgets.Layout(width="auto"))
        elif question.kind == "multiple":
            self.checkboxes = [widgets.Checkbox(value=False, description=t, indent=False,
                                                layout=widgets.Layout(width="auto")) for t in options]
            self.input = widgets.VBox(self.checkboxes)
        elif question.kind == "numeric":
            self.input = widgets.Text(placeholder="a number", layout=widgets.Layout(width="12em"))
        else:
            self.input = widgets.Textarea(placeholder="Your answer (for yourself; it is not graded)",
                                          layout=widgets.Layout(width="95%"))
        label = "Show model answer" if question.kind == "open" else "Check"
        self.button = widgets.Button(description=label, button_style="primary",
                                     layout=widgets.Layout(width="max-content", min_width="8em"))
        self.button.on_click(lambda _: self.check())
        self.box = widgets.VBox([self.prompt, self.input, self.button, self.feedback],
                                layout=widgets.Layout(margin="0 0 1em 0"))

    def response(self):
        """What the reader has entered, in the form `grade` expects."""
        if self.question.kind == "multiple":
            return [c.description for c in self.checkboxes if c.value]
        if self.question.kind == "open":
            return None
        return self.input.value

    def answer(self, response) -> None:
        """Enter a response as a reader would (used by tests and demos)."""
        if self.question.kind == "multiple":
            for c in self.checkboxes:
                c.value = c.description in response
        else:
            self.input.value = response if self.question.kind != "numeric" else str(response)

    def check(self) -> Feedback:
        """Grade the current response and show the feedback under the question."""
        result = grade(self.question, self.response())
        color = {True: "#2a7d2e", False: "#b00020", None: "#1f4e79"}[result.correct]
        self.feedback.value = f'<div style="color:{color}">{html.escape(result.message)}</div>'
        return result


class Quiz:
    """A whole bank as widgets, with a static HTML fallback where widgets cannot render."""

    def __init__(self, bank: Bank):
        self.bank = bank
        self.views = [QuestionView(q, i + 1) for i, q in enumerate(bank.questions)]
        title = widgets.HTML(f"{QUIZ_CSS}<h3>Quiz for question {bank.question}</h3>")
        self.widget = widgets.VBox([title] + [v.box for v in self.views])
        self.widget.add_class("mlqa-quiz")

    def to_html(self) -> str:
        """The quiz as static HTML: every question with its options, answers folded away."""
        parts = [f"<h3>Quiz for question {self.bank.question}</h3>",
                 "<p><i>Run this cell in Jupyter or Colab for the interactive version.</i></p>"]
        for i, q in enumerate(self.bank.questions, 1):
            parts.append(f"<p><b>{i}. {html.escape(q.prompt)}</b></p>")
            if q.options:
                items = "".join(f"<li>{html.escape(o.text)}</li>" for o in q.shuffled_options())
                parts.append(f"<ul>{items}</ul>")
            if q.kind in ("single", "multiple"):
                answer = "; ".join(f"{o.text}: {o.why}" for o in q.options if o.correct)
            elif q.kind == "numeric":
                answer = f"{q.answer:g} (within {q.tolerance:g})"
            else:
                answer = q.model_answer
            parts.append(f"<details><summary>Answer</summary><p>{html.escape(answer)}</p>"
                         f"<p>{html.escape(q.explanation)}</p></details>")
        return "\n".join(parts)

    def _repr_mimebundle_(self, **kwargs) -> dict:
        bundle = self.widget._repr_mimebundle_(**kwargs) or {}
        bundle["text/html"] = self.to_html()
        bundle["text/plain"] = f"Quiz for question {self.bank.question} ({len(self.views)} questions)"
        return bundle


def show_quiz(number: int) -> Quiz:
    """The quiz for book question `number`; as the last expression of a cell it displays itself."""
    return Quiz(load_bank(number))
