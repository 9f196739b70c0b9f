"""Sizing a hub for a class (likelihood_course.capacity) and the measurements it reads."""

import math

import pytest

from conftest import CHAPTERS
from likelihood_course import capacity


def classes(*worst_mib):
    return {"classes": [{"students": 1, "memory_mib": {"median": w, "worst": w}} for w in worst_mib]}


@pytest.mark.parametrize("worst_mib", [300, 906, 1024, 1025, 2500])
@pytest.mark.parametrize("node_gib, reserved_gib, class_size", [(32, 2, 300), (16, 1, 45), (64, 4, 1)])
def test_sizing_fits_the_worst_student_and_the_class(worst_mib, node_gib, reserved_gib, class_size):
    size = capacity.sizing(classes(100, worst_mib), node_gib, reserved_gib, class_size)
    guarantee, per_node, nodes = size["guarantee_gib"], size["students_per_node"], size["nodes"]
    # the guarantee holds the worst student, rounded up to the next quarter GiB
    assert worst_mib / 1024 <= guarantee < worst_mib / 1024 + 0.25
    assert (guarantee * 4) == int(guarantee * 4)
    assert size["limit_gib"] == 2 * guarantee
    # as many students as their guarantees fit on a node, and enough nodes for the class
    free = node_gib - reserved_gib
    assert per_node * guarantee <= free < (per_node + 1) * guarantee
    assert nodes * per_node >= class_size > (nodes - 1) * per_node


@pytest.mark.parametrize(
    "kwargs, names",
    [
        ({"node_gib": 0}, "node_gib"),
        ({"node_gib": -8}, "node_gib"),
        ({"reserved_gib": 40}, "reserved_gib"),
        ({"reserved_gib": -1}, "reserved_gib"),
        ({"class_size": 0}, "class_size"),
        ({"class_size": 2.5}, "class_size"),
        ({"node_gib": 1, "reserved_gib": 0.5}, "node_gib"),  # not even one student fits
    ],
)
def test_sizing_refuses_bad_input(kwargs, names):
    with pytest.raises(ValueError, match=names):
        capacity.sizing(classes(906), **kwargs)


def test_the_measurements_are_of_the_books_chapters_and_the_class_sizes():
    measured = capacity.measurements()
    assert set(measured["chapter_memory_mib"]) <= set(CHAPTERS)
    heaviest = max(measured["chapter_memory_mib"], key=measured["chapter_memory_mib"].get)
    assert measured["heaviest"] == heaviest
    assert [row["students"] for row in measured["classes"]] == [1, 5, 10, 20]
    for row in measured["classes"]:
        assert 0 < row["finished"] <= row["students"]
        for key in ("ready_s", "run_s", "memory_mib"):
            if row[key] is not None or key == "memory_mib":
                assert 0 < row[key]["median"] <= row[key]["worst"] < math.inf, (row["students"], key)
