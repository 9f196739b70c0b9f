"""Author-year citations: "Bishop (2006)" and "(Gneiting and Raftery, 2007)" in the text, and
"Bishop 2006" as the entry's label in the bibliography and the PDF, which lists the entries in the
order of their labels. sphinxcontrib-bibtex's defaults read "Bishop [Bis06]" (and
"Wikipediacontributors26b" for a collective author). An entry without an author, a Wikipedia
article, is cited by its title, as APA cites one.

`_config.yml` names the two styles registered here: `bibtex_reference_style: author_year_round`
(sphinxcontrib-bibtex's `author_year` in round brackets) and `bibtex_default_style: course`
(pybtex's `plain` with these labels, sorted by them)."""

import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from string import ascii_lowercase

import pybtex.plugin
import sphinxcontrib.bibtex.plugin
from pybtex.richtext import Text
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.sorting import BaseSortingStyle
from sphinxcontrib.bibtex.style.referencing import BracketStyle
from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle


def _text(latex: str) -> str:
    """Plain text of a BibTeX field: D{\\"u}rr -> Dürr, {TensorFlow Probability authors} as is."""
    return Text.from_latex(latex).render_as("text")


def author_year(entry) -> str:
    """ "Bishop 2006", "Gneiting and Raftery 2007", "Goodfellow et al. 2016"; the title for an
    entry without author or editor."""
    people = entry.persons.get("author") or entry.persons.get("editor")
    year = entry.fields.get("year", "n.d.")
    if not people:
        return f"{_text(entry.fields['title'])} {year}"
    names = [_text(" ".join(p.prelast_names + p.last_names)) for p in people]
    if len(names) == 1:
        return f"{names[0]} {year}"
    if len(names) == 2:
        return f"{names[0]} and {names[1]} {year}"
    return f"{names[0]} et al. {year}"


class AuthorYearLabels(BaseLabelStyle):
    """Author-year labels, with "a", "b", ... after the year where two entries would share one."""

    def format_labels(self, sorted_entries):
        labels = [author_year(entry) for entry in sorted_entries]
        shared, seen = Counter(labels), Counter()
        for label in labels:
            if shared[label] > 1:
                seen[label] += 1
                label += ascii_lowercase[seen[label] - 1]
            yield label


class ByLabel(BaseSortingStyle):
    """In the order of the labels, accents aside (Dürr between Czado and Gneiting)."""

    def sorting_key(self, entry):
        decomposed = unicodedata.normalize("NFKD", author_year(entry))
        return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


class CourseStyle(PlainStyle):
    default_label_style = "course-author-year"
    default_sorting_style = "course-by-label"


def _round():
    return BracketStyle(left="(", right=")")


@dataclass
class RoundAuthorYear(AuthorYearReferenceStyle):
    bracket_textual: BracketStyle = field(default_factory=_round)
    bracket_parenthetical: BracketStyle = field(default_factory=_round)
    bracket_author: BracketStyle = field(default_factory=_round)
    bracket_label: BracketStyle = field(default_factory=_round)
    bracket_year: BracketStyle = field(default_factory=_round)


def setup(app):
    from course_build.upstream import written_for

    written_for(
        "sphinxcontrib-bibtex", "2.7.0", "citations.RoundAuthorYear (AuthorYearReferenceStyle's fields)"
    )
    # force: `make preview` sets the extension up again in the same process after an edit
    pybtex.plugin.register_plugin("pybtex.style.labels", "course-author-year", AuthorYearLabels, force=True)
    pybtex.plugin.register_plugin("pybtex.style.sorting", "course-by-label", ByLabel, force=True)
    pybtex.plugin.register_plugin("pybtex.style.formatting", "course", CourseStyle, force=True)
    sphinxcontrib.bibtex.plugin.register_plugin(
        "sphinxcontrib.bibtex.style.referencing", "author_year_round", RoundAuthorYear, force=True
    )
    return {"parallel_read_safe": True, "parallel_write_safe": True}
