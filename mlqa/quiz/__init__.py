"""The quiz every notebook ends with: banks of questions as data, pure grading, core-ipywidgets views.

`show_quiz(7)` shows the bank for book question 7. In JupyterLab, VS Code and Colab the questions are
widgets that grade an answer and say why it is right or wrong; where no widget front end runs (a notebook
rendered on a website, nbval) the same quiz shows as static HTML with the answers folded away.
`bank.py` holds the data and grading (no widgets); `view.py` the widgets.
"""

from mlqa.quiz.bank import BANKS_DIR, KINDS, Bank, Feedback, Option, QuizQuestion, grade, load_bank, parse_question
from mlqa.quiz.view import QUIZ_CSS, QuestionView, Quiz, show_quiz

__all__ = [
    "BANKS_DIR",
    "KINDS",
    "QUIZ_CSS",
    "Bank",
    "Feedback",
    "Option",
    "QuestionView",
    "Quiz",
    "QuizQuestion",
    "grade",
    "load_bank",
    "parse_question",
    "show_quiz",
]
