"""The quiz as core ipywidgets, with a static HTML fallback where no widget front end runs."""

from __future__ import annotations

import html

import ipywidgets as widgets

from mlqa.quiz.bank import Bank, Feedback, QuizQuestion, grade, load_bank

# Long option texts: let labels wrap and keep the radio button / checkbox from being squeezed to nothing.
QUIZ_CSS = """<style>
.mlqa-quiz .widget-radio-box label { display: block; white-space: normal; height: auto; line-height: 1.4;
  margin-bottom: 0.3em; }
.mlqa-quiz .widget-radio-box input { display: inline-block; vertical-align: baseline; margin: 0 0.4em 0 0; }
.mlqa-quiz .widget-checkbox label { white-space: normal; height: auto; line-height: 1.4; }
</style>"""


class QuestionView:
    """The widgets for one question: an input, a Check button (or Show answer) and the feedback."""

    def __init__(self, question: QuizQuestion, index: int):
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
