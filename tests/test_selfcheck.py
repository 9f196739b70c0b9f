"""Unit tests of the self-check questions' build-time side (likelihood_course.selfcheck): what a
question hands to the page and to the PDF, and the refusal of malformed questions."""

import pytest

from likelihood_course._mime import ANSWERS, QUESTION
from likelihood_course.selfcheck import Quiz


def bundle(display):
    return display._repr_mimebundle_()


def test_numeric_question_carries_answer_tolerance_and_text():
    quiz = Quiz()
    b = bundle(quiz.numeric(r"What is $\theta$?", answer=0.2, tol=5e-3, explanation="k/n."))
    q = b[QUESTION]
    assert q == {
        "number": 1,
        "kind": "numeric",
        "prompt": r"What is $\theta$?",
        "answer": 0.2,
        "tol": 5e-3,
        "shown": "0.200",
        "explanation": "k/n.",
    }
    assert b["text/markdown"].startswith(r"**Self-check 1.** What is $\theta$?")
    assert "0.005" in b["text/markdown"], "the PDF says how close an answer must be"
    assert "0.2" not in b["text/markdown"].replace("0.005", ""), "the question gives no answer away"


def test_questions_are_numbered_and_answers_listed_in_order():
    quiz = Quiz()
    quiz.numeric("First?", answer=1.5, tol=0.1, explanation="Because.")
    quiz.choice("Second?", [("no", False, "Not so."), ("yes", True, "So.")])
    b = bundle(quiz.answers())
    assert b[ANSWERS]["markdown"] == "1. 1.5 (within 0.1). Because.\n2. (b). So."
    assert b["text/markdown"].startswith("**Answers to the self-check questions**")


def test_choice_lists_the_options_for_print():
    quiz = Quiz()
    b = bundle(quiz.choice("Which?", [("one", True, "a"), ("two", False, "b"), ("three", False, "c")]))
    assert b["text/markdown"].endswith("- (a) one\n- (b) two\n- (c) three")
    assert [o["right"] for o in b[QUESTION]["options"]] == [True, False, False]


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"prompt": "", "answer": 1, "tol": 0.1, "explanation": "x"}, "prompt"),
        ({"prompt": "q", "answer": float("nan"), "tol": 0.1, "explanation": "x"}, "answer"),
        ({"prompt": "q", "answer": 1, "tol": 0, "explanation": "x"}, "tol"),
        ({"prompt": "q", "answer": 1, "tol": 0.1, "explanation": " "}, "explanation"),
    ],
)
def test_malformed_numeric_question_is_refused(kwargs, match):
    with pytest.raises(ValueError, match=match):
        Quiz().numeric(**kwargs)


@pytest.mark.parametrize(
    "options, match",
    [
        ([("only", True, "x")], "2 to"),
        ([("a", True, "x"), ("b", True, "y")], "exactly one right"),
        ([("a", False, "x"), ("b", False, "y")], "exactly one right"),
        ([("a", True, "x"), ("b", False)], r"options\[1\]"),
        ([("a", True, "x"), ("b", 0, "y")], r"options\[1\]"),
        ([("a", True, "x"), ("b", False, "")], r"options\[1\] explanation"),
    ],
)
def test_malformed_choice_question_is_refused(options, match):
    with pytest.raises(ValueError, match=match):
        Quiz().choice("q", options)


def test_answers_need_questions():
    with pytest.raises(ValueError, match="no questions"):
        Quiz().answers()
