"""The quiz: every bank is valid, grading is right, and the widgets work when driven from Python."""

import html
import json

import pytest

from mlqa.quiz import BANKS_DIR, Quiz, grade, load_bank, parse_question, show_quiz

BANKS = sorted(BANKS_DIR.glob("q*.json"))


@pytest.mark.parametrize("path", BANKS, ids=[p.stem for p in BANKS])
def test_every_bank_is_valid(path):
    raw = json.loads(path.read_text(encoding="utf-8"))
    bank = load_bank(raw["question"])
    assert path.stem == f"q{bank.question:02d}"
    assert len(bank.questions) >= 3
    for q in bank.questions:
        assert q.explanation.strip()
        if q.kind == "single":
            assert sum(o.correct for o in q.options) == 1
        if q.kind == "multiple":
            assert any(o.correct for o in q.options)
        assert all(o.why.strip() for o in q.options)
    ids = [q.id for b in BANKS for q in load_bank(json.loads(b.read_text())["question"]).questions]
    assert len(ids) == len(set(ids)), "question ids must be unique across banks"


def _single():
    return parse_question({"id": "t-single", "kind": "single", "prompt": "2 + 2?", "explanation": "Arithmetic.",
                           "options": [{"text": "4", "correct": True, "why": "Two and two make four."},
                                       {"text": "5", "correct": False, "why": "One too many."},
                                       {"text": "3", "correct": False, "why": "One too few."}]})


def test_grade_single_multiple_numeric_open():
    q = _single()
    assert grade(q, "4").correct and "Two and two" in grade(q, "4").message
    assert grade(q, "5").correct is False and "One too many" in grade(q, "5").message
    assert grade(q, None).correct is False
    with pytest.raises(ValueError, match="not options"):
        grade(q, "7")
    m = parse_question({"id": "t-multi", "kind": "multiple", "prompt": "Even numbers?", "explanation": "Parity.",
                        "options": [{"text": "2", "correct": True, "why": "even"},
                                    {"text": "4", "correct": True, "why": "even"},
                                    {"text": "5", "correct": False, "why": "odd"}]})
    assert grade(m, ["2", "4"]).correct
    partial = grade(m, ["2", "5"])
    assert partial.correct is False and "'5' is wrong" in partial.message and "missed '4'" in partial.message
    n = parse_question({"id": "t-num", "kind": "numeric", "prompt": "pi?", "answer": 3.14159, "tolerance": 0.01,
                        "explanation": "About 3.14."})
    assert grade(n, 3.14).correct and grade(n, "3.15").correct
    assert not grade(n, 3.2).correct and "too high" in grade(n, 3.2).message
    assert not grade(n, "three").correct
    o = parse_question({"id": "t-open", "kind": "open", "prompt": "Why?", "model_answer": "Because.",
                        "explanation": "Reasons."})
    assert grade(o, None).correct is None and "Because." in grade(o, None).message


@pytest.mark.parametrize("raw, message", [
    ({"id": "x", "kind": "essay", "prompt": "p", "explanation": "e"}, "unknown kind"),
    ({"id": "x", "kind": "single", "prompt": "p", "explanation": "e",
      "options": [{"text": "a", "correct": True, "why": "w"}, {"text": "b", "correct": True, "why": "w"}]},
     "exactly 1 correct"),
    ({"id": "x", "kind": "single", "prompt": "p", "explanation": "e",
      "options": [{"text": "a", "correct": True, "why": ""}, {"text": "b", "correct": False, "why": "w"}]},
     "needs a 'why'"),
    ({"id": "x", "kind": "numeric", "prompt": "p", "explanation": "e"}, "numeric 'answer'"),
    ({"id": "x", "kind": "open", "prompt": "p", "explanation": "e"}, "model_answer"),
    ({"id": "x", "kind": "open", "prompt": "p", "model_answer": "m"}, "missing 'explanation'"),
])
def test_invalid_questions_are_rejected(raw, message):
    with pytest.raises(ValueError, match=message):
        parse_question(raw)


def test_unknown_bank_names_the_known_ones():
    with pytest.raises(ValueError, match="no quiz bank for question 99"):
        load_bank(99)


def test_option_order_is_shuffled_deterministically():
    q = _single()
    assert [o.text for o in q.shuffled_options()] == [o.text for o in q.shuffled_options()]
    orders = {tuple(o.text for o in parse_question({**_raw_with_id(i)}).shuffled_options()) for i in range(20)}
    assert len(orders) > 1, "different questions should get different orders"


def _raw_with_id(i):
    return {"id": f"t-{i}", "kind": "single", "prompt": "p", "explanation": "e",
            "options": [{"text": t, "correct": t == "a", "why": "w"} for t in "abcd"]}


def test_widgets_give_feedback_when_clicked():
    quiz = show_quiz(0)
    by_kind = {v.question.kind: v for v in quiz.views}
    single = by_kind["single"]
    right = next(o.text for o in single.question.options if o.correct)
    wrong = next(o.text for o in single.question.options if not o.correct)
    single.answer(wrong)
    single.button.click()
    assert "Not quite" in single.feedback.value
    single.answer(right)
    single.button.click()
    assert "Correct" in single.feedback.value
    multiple = by_kind["multiple"]
    multiple.answer([o.text for o in multiple.question.options if o.correct])
    multiple.button.click()
    assert "Correct" in multiple.feedback.value
    numeric = by_kind["numeric"]
    numeric.answer(numeric.question.answer + 10 * numeric.question.tolerance + 1)
    numeric.button.click()
    assert "too high" in numeric.feedback.value
    open_view = by_kind["open"]
    open_view.button.click()
    assert "model answer" in open_view.feedback.value.lower()


def test_static_html_folds_answers_away():
    quiz = Quiz(load_bank(0))
    bundle = quiz._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    static = bundle["text/html"]
    assert static.count("<details>") == len(quiz.views)
    assert all(html.escape(q.prompt) in static for q in quiz.bank.questions)
