"""The instructors' guide (book/teaching.md) as built: its numbers are the measurements of
`make bench-hub` and the sizing computed from them, and its links are the site's."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from conftest import ROOT, built_page
from course_build.book import CONFIG
from likelihood_course import capacity

REPOSITORY = CONFIG["repository"]["url"].rstrip("/")


@pytest.fixture(scope="module")
def page():
    return built_page("book/teaching").select_one("article")


def test_the_table_shows_every_class_size_measured(page):
    measured = capacity.measurements()
    rows = [
        [td.get_text(strip=True) for td in tr.select("td")]
        for tr in page.select("#how-many-students-per-node table tbody tr")
    ]
    assert len(rows) == len(measured["classes"])
    for cells, row in zip(rows, measured["classes"]):
        assert cells[:2] == [str(row["students"]), str(row["finished"])]
        ready, memory = row["ready_s"], row["memory_mib"]
        assert cells[2] == (f"{ready['median']:.1f} / {ready['worst']:.1f} s" if ready else "not measured")
        assert cells[4] == f"{memory['median']:.0f} / {memory['worst']:.0f} MiB"


def test_the_helm_values_and_the_sizing_follow_the_measurements(page):
    size = capacity.sizing(capacity.measurements())
    values = yaml.safe_load(
        next(pre.get_text() for pre in page.select("pre") if "singleuser:" in pre.get_text())
    )
    assert values["singleuser"]["memory"] == {
        "guarantee": f"{size['guarantee_gib']:g}G",
        "limit": f"{size['limit_gib']:g}G",
    }
    assert values["cull"]["enabled"] is True
    text = " ".join(page.get_text().split())
    assert (
        f"holds {size['students_per_node']} students, and a class of {size['class_size']} "
        f"students working at the same time needs {size['nodes']} such nodes"
    ) in text


def test_the_example_link_is_the_one_the_site_builds(page):
    printed = [pre.get_text().strip() for pre in page.select("pre") if "/git-pull?" in pre.get_text()]
    link = next(p for p in printed if p.startswith("https://"))
    query = {k: v[0] for k, v in parse_qs(urlsplit(link).query).items()}
    name = REPOSITORY.rsplit("/", 1)[-1]
    assert query == {
        "repo": REPOSITORY,
        "branch": CONFIG["repository"]["branch"],
        "urlpath": f"lab/tree/{name}/book/03_mle.md",
    }
    assert (ROOT / "book" / "03_mle.md").is_file()


def test_the_guide_names_the_configured_repository():
    """Every GitHub repository that the guide names is the course's, but for the upstream issues it
    cites."""
    source = (ROOT / "book" / "teaching.md").read_text()
    found = re.findall(r"(https://github\.com/[\w.-]+/[\w.-]+)(/(?:issues|pull)/\d+)?", source)
    assert {repository for repository, issue in found if not issue} == {REPOSITORY}
