"""The bundled stylesheet without the rules that can match nothing on the site
(course_build.ext.unused_css, issue 23 point 3). That no rule which matches an element of a built
page was left out is checked in chromium, against the whole stylesheet, by
tests/test_light_pages.py."""

from pathlib import Path

from course_build.ext.bundled_css import FOLDER, bundle_pages
from course_build.ext.unused_css import SiteNames, pruned


def _kept(css: str, *names: str) -> str:
    return pruned(css, SiteNames(names))


def test_a_rule_is_kept_only_if_every_class_and_id_it_requires_is_on_the_site():
    css = ".on { a: 1 }\n.off { b: 2 }\n.on.off { c: 3 }\n.on .off { d: 4 }\n#here { e: 5 }\n#gone { f: 6 }\np { g: 7 }\n"
    out = _kept(css, "on", "here")
    assert ".on { a: 1 }" in out and "#here { e: 5 }" in out and "p { g: 7 }" in out
    for gone in ("b: 2", "c: 3", "d: 4", "f: 6"):
        assert gone not in out, out


def test_a_class_in_a_negation_or_a_function_is_not_required():
    css = "p:not(.off) { a: 1 }\n:is(.off, p) { b: 2 }\n:where(.off) p { c: 3 }\np:has(.off) { d: 4 }\n[class~=off] { e: 5 }\n"
    out = _kept(css)
    for kept in ("a: 1", "b: 2", "c: 3", "d: 4", "e: 5"):
        assert kept in out, out


def test_from_a_list_of_selectors_only_those_that_cannot_match_go():
    out = _kept(".off, .on > p, .off2 { a: 1 }\n", "on")
    assert out.strip() == ".on > p { a: 1 }"


def test_blocks_are_pruned_inside_and_other_at_rules_are_kept():
    css = (
        "@media (min-width: 960px) { .off { a: 1 } .on { b: 2 } }\n"
        "@media print { .off { c: 3 } }\n"
        "@supports (display: grid) { @media screen { .on { d: 4 } } }\n"
        "@font-face { font-family: X; src: url(x.woff2) }\n"
        "@keyframes spin { from { rotate: 0 } to { rotate: 1turn } }\n"
        "@layer base { .off { e: 5 } }\n"
    )
    out = _kept(css, "on")
    assert "@media (min-width: 960px)" in out and "b: 2" in out and "a: 1" not in out
    assert "@media print" not in out, "an @media block left empty is still there"
    assert "@supports (display: grid)" in out and "d: 4" in out
    assert "@font-face" in out and "@keyframes spin" in out and "rotate: 1turn" in out
    assert "@layer base { .off { e: 5 } }" in out  # the layers keep their order


def test_a_class_a_script_could_add_is_on_the_site():
    names = SiteNames(["show", "bs-"])  # Bootstrap: classList.add("show"), `bs-${name}-auto`
    assert "show" in names and "bs-tooltip-auto" in names
    assert "hide" not in names and "xbs-tooltip" not in names


def test_the_sites_names_come_from_its_pages_and_scripts(tmp_path):
    (tmp_path / "_static").mkdir()
    (tmp_path / "index.html").write_text(
        '<div class="a  b" id="c"><script>el.classList.add("d")</script></div><p>e</p>'
    )
    (tmp_path / "_static" / "menu.js").write_text('x.className = "f menu-" + state;')
    names = SiteNames.of_site(tmp_path)
    for name in ("a", "b", "c", "d", "f", "menu-open"):
        assert name in names, name
    assert "e" not in names, "a word of a page's text is not a class"


def test_a_bundle_holds_what_the_pages_can_use_and_is_made_again_when_they_change(tmp_path):
    site = tmp_path / "html"
    (site / "_static").mkdir(parents=True)
    (site / "_static" / "a.css").write_text(".used { a: 1 }\n.unused { b: 2 }\n")
    (site / "_static" / "b.css").write_text("p { c: 3 }\n")
    page = site / "index.html"
    page.write_text(
        '<html><head><link rel="stylesheet" href="_static/a.css" />'
        '<link rel="stylesheet" href="_static/b.css" /></head><body><p class="used">x</p></body></html>'
    )
    (first,), _ = bundle_pages(site)
    css = (site / FOLDER / first).read_text()
    assert ".used { a: 1 }" in css and "p { c: 3 }" in css and "b: 2" not in css
    page.write_text(page.read_text().replace('class="used"', 'class="used unused"'))
    (second,), _ = bundle_pages(site)
    assert second != first, "a class new on a page did not make a new bundle"
    assert ".unused { b: 2 }" in (site / FOLDER / second).read_text()
    assert not (site / FOLDER / first).exists()
    assert Path(site / FOLDER / second).is_file()


def test_braces_in_strings_and_comments_and_escaped_names_are_read_as_css_does():
    css = '.on::before { content: "} .off {" }\n/* } .off { */\n.md\\:wide { a: 1 }\n.off { b: 2 }\n[title="{"] { c: 3 }\n'
    out = _kept(css, "on", "md:wide")
    assert '.on::before { content: "} .off {" }' in out
    assert ".md\\:wide { a: 1 }" in out and '[title="{"] { c: 3 }' in out
    assert "b: 2" not in out, out
