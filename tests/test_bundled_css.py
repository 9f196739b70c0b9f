"""A page's stylesheets as one file (course_build.ext.bundled_css, issue 23 point 3): the same
rules in the same order, every url() still naming its file, a bundle made again when a part changes
(on a page that is not written again too), and nothing bundled where that would change the cascade.
The built site's pages are checked in tests/test_light_pages.py."""

from pathlib import Path

import pytest

from course_build.ext.bundled_css import FOLDER, bundle_pages, inlined

HEAD = """<!DOCTYPE html>
<html><head>
    <link rel="stylesheet" href="{up}_static/styles/theme.css?digest=1" />
    <link rel="stylesheet" type="text/css" href="{up}_static/course.css?v=2" />
{extra}</head><body><p class="a b c">text</p></body></html>
"""


def _site(tmp_path: Path, extra: str = "") -> Path:
    site = tmp_path / "html"
    (site / "_static" / "styles").mkdir(parents=True)
    (site / "_static" / "img").mkdir()
    (site / "_static" / "img" / "arrow.svg").write_text("<svg/>")
    (site / "_static" / "basic.css").write_text("p { background: url(img/arrow.svg); }\n")
    (site / "_static" / "styles" / "theme.css").write_text(
        '@charset "UTF-8";\n@import "../basic.css";\n'
        ".a { background: url('../img/arrow.svg?x=1') }\n.b { mask: url(\"data:image/svg+xml,%3Csvg/%3E\") }\n"
        "/*# sourceMappingURL=theme.css.map*/\n"
    )
    (site / "_static" / "course.css").write_text(".c { color: red }\n")
    (site / "book").mkdir()
    (site / "index.html").write_text(HEAD.format(up="", extra=extra))
    (site / "book" / "ch1.html").write_text(HEAD.format(up="../", extra=extra))
    return site


def test_an_import_is_put_in_its_place_and_urls_name_the_same_files(tmp_path):
    site = _site(tmp_path)
    text = inlined("_static/styles/theme.css", lambda p: (site / p).read_text())
    assert "@import" not in text and "@charset" not in text and "sourceMappingURL" not in text
    # basic.css's rule comes first, where the @import stood; each url() from _static/bundles/
    assert text.index('url("../img/arrow.svg")') < text.index(".a {")
    assert 'url("../img/arrow.svg?x=1")' in text
    assert 'url("data:image/svg+xml,%3Csvg/%3E")' in text  # a data: URL is left as it is
    assert (site / FOLDER / "../img/arrow.svg").resolve().is_file()


def test_every_page_links_one_bundle_with_its_parts_in_order(tmp_path):
    site = _site(tmp_path)
    names, left = bundle_pages(site)
    assert len(names) == 1 and not left
    bundle = (site / FOLDER / names[0]).read_text()
    assert bundle.index("p { background") < bundle.index(".a {") < bundle.index(".c {")
    for page, up in ((site / "index.html", ""), (site / "book" / "ch1.html", "../")):
        html = page.read_text()
        assert html.count('rel="stylesheet"') == 1, html
        assert f'href="{up}{FOLDER}/{names[0]}"' in html
        assert 'data-parts="_static/styles/theme.css _static/course.css"' in html


def test_a_changed_part_makes_a_new_bundle_for_a_page_not_written_again(tmp_path):
    site = _site(tmp_path)
    (first,), _ = bundle_pages(site)
    page = site / "book" / "ch1.html"
    page.write_text(page.read_text().replace(f'{first}"', f'{first}?v=1234"'))  # as sphinx7_fixes does
    written = page.stat().st_mtime_ns
    assert bundle_pages(site)[0] == [first]  # nothing changed: the same bundle
    assert page.stat().st_mtime_ns == written, "a page whose bundle did not change was written again"
    (site / "_static" / "course.css").write_text(".c { color: blue }\n")
    (second,), _ = bundle_pages(site)
    assert second != first
    assert not (site / FOLDER / first).exists(), "the bundle no page links is still there"
    assert ".c { color: blue }" in (site / FOLDER / second).read_text()
    assert f"{FOLDER}/{second}" in (site / "book" / "ch1.html").read_text()


@pytest.mark.parametrize(
    "extra",
    [
        '    <link rel="stylesheet" href="https://example.org/x.css" />\n',
        '    <link rel="stylesheet" href="../_static/course.css" media="print" />\n',
    ],
)
def test_a_page_with_a_stylesheet_from_elsewhere_or_for_print_is_left_as_it_is(tmp_path, extra):
    site = _site(tmp_path, extra)
    before = (site / "book" / "ch1.html").read_text()
    _, left = bundle_pages(site)
    assert "book/ch1.html" in left
    assert (site / "book" / "ch1.html").read_text() == before


def test_an_import_from_another_host_is_refused(tmp_path):
    site = _site(tmp_path)
    (site / "_static" / "course.css").write_text('@import url("https://example.org/x.css");\n')
    with pytest.raises(ValueError, match="course.css: @import of https://example.org/x.css"):
        bundle_pages(site)
