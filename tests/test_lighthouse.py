"""Lighthouse's mobile preset on one heavy chapter (explorer, self-checks, many equations), served
gzipped as GitHub Pages serves it: performance at least 90, accessibility and SEO 100 (issue 23,
point 3). `python -m course_build.lighthouse` measures every chapter with both presets."""

import pytest

from course_build import lighthouse

pytestmark = pytest.mark.browser

PAGE = "book/05_classifiers"


def test_a_heavy_chapter_is_fast_on_a_phone(html_dir):
    with lighthouse.served(html_dir) as origin:
        result = lighthouse.run(f"{origin}/{PAGE}.html", "mobile")
    assert result["accessibility"] == 100, result
    assert result["seo"] == 100, result
    assert result["performance"] >= 90, result
