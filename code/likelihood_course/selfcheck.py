"""Self-check questions, answered in the reader's browser with instant feedback and no server.

A chapter makes one `Quiz`, asks its questions in code cells, and shows the answers at its end:

    quiz = Quiz()
    quiz.numeric("What is the MLE of $\\theta$ for the flips 1, 1, 0?",
                 answer=lk.bernoulli_mle([1, 1, 0]), tol=0.005, explanation="...")
    quiz.choice("Which ...?", [("an option", False, "why not"), ("the right one", True, "why")])
    quiz.answers()

The right answers are computed by the chapter's code when it runs, never typed by hand. Each
question displays as

- `application/vnd.likelihood-course.question+json`: the question with its answer, which the course
  site turns into a form that checks answers in the browser (`_assets/selfcheck.js`);
- `text/markdown`: the question as text (the PDF, notebooks), with the answers at the chapter's end.

Prompts, options and explanations are MyST Markdown: `$...$` is typeset as maths.
"""

import math

from ._checks import as_positive, integer, scalar, shown
from ._mime import ANSWERS as ANSWERS_MIME
from ._mime import QUESTION as QUESTION_MIME

__all__ = ["Quiz", "QUESTION_MIME", "ANSWERS_MIME"]

LETTERS = "abcdefgh"
MAX_DIGITS = 20  # the most decimals an answer is shown with


def _text(name, value):
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{name} must be a non-empty string, got {value!r}")
    return value.strip()


class _Display:
    """Something a notebook shows through its MIME bundle."""

    def __init__(self, bundle):
        self._bundle = bundle

    def _repr_mimebundle_(self, include=None, exclude=None):
        return self._bundle


class Quiz:
    """The self-check questions of one chapter, numbered in the order they are asked."""

    def __init__(self):
        self.questions = []

    def _ask(self, payload, markdown):
        number = len(self.questions) + 1
        payload = {"number": number, **payload}
        self.questions.append(payload)
        text = f"**Self-check {number}.** {markdown}"
        return _Display(
            {
                QUESTION_MIME: payload,
                "text/markdown": text,
                "text/plain": f"Self-check {number}: {payload['prompt']}",
            }
        )

    def numeric(self, prompt, answer, tol, explanation, digits=None):
        """A question answered by a number; answers within `tol` of `answer` are right.

        `digits` is how many decimals the answer is shown with, an integer in [0, 20] (by default:
        enough for `tol`)."""
        prompt, explanation = _text("prompt", prompt), _text("explanation", explanation)
        answer = scalar("answer", answer)
        tol = scalar("tol", tol, as_positive)
        if digits is None:
            digits = min(MAX_DIGITS, max(0, -math.floor(math.log10(tol))))
        digits = integer("digits", digits, minimum=0, maximum=MAX_DIGITS)
        payload = {
            "kind": "numeric",
            "prompt": prompt,
            "answer": answer,
            "tol": tol,
            "shown": f"{answer:.{digits}f}",
            "explanation": explanation,
        }
        return self._ask(payload, f"{prompt} (Give a number; answers within {tol:g} count.)")

    def choice(self, prompt, options):
        """A multiple-choice question: `options` are (text, is_right, explanation) triples, with
        exactly one right option and an explanation for every option."""
        prompt = _text("prompt", prompt)
        if not isinstance(options, (list, tuple)) or not 2 <= len(options) <= len(LETTERS):
            raise ValueError(
                f"options must be a list of 2 to {len(LETTERS)} (text, is_right, explanation) "
                f"triples, got {shown(options)}"
            )
        checked = []
        for i, option in enumerate(options):
            if not isinstance(option, (list, tuple)) or len(option) != 3 or not isinstance(option[1], bool):
                raise ValueError(
                    f"options[{i}] must be a (text, is_right, explanation) triple with is_right True "
                    f"or False, got {shown(option)}"
                )
            checked.append(
                {
                    "text": _text(f"options[{i}] text", option[0]),
                    "right": option[1],
                    "explanation": _text(f"options[{i}] explanation", option[2]),
                }
            )
        if sum(o["right"] for o in checked) != 1:
            raise ValueError("options must have exactly one right option")
        listing = "\n".join(f"- ({LETTERS[i]}) {o['text']}" for i, o in enumerate(checked))
        payload = {"kind": "choice", "prompt": prompt, "options": checked}
        return self._ask(payload, f"{prompt}\n\n{listing}")

    def answers(self):
        """The answers to every question asked so far, with their explanations."""
        if not self.questions:
            raise ValueError("the quiz has no questions yet: ask some before showing the answers")
        lines = []
        for q in self.questions:
            if q["kind"] == "numeric":
                answer = f"{q['shown']} (within {q['tol']:g}). {q['explanation']}"
            else:
                right = next(i for i, o in enumerate(q["options"]) if o["right"])
                answer = f"({LETTERS[right]}). {q['options'][right]['explanation']}"
            lines.append(f"{q['number']}. {answer}")
        listing = "\n".join(lines)
        markdown = f"**Answers to the self-check questions**\n\n{listing}"
        return _Display(
            {ANSWERS_MIME: {"markdown": listing}, "text/markdown": markdown, "text/plain": markdown}
        )
