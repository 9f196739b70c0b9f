"""The article header's sidebar buttons, used as readers use them (code/course_build/ext/header_toggles.py).

On a phone (390 x 844, touch) a tap on the chapter-list button opens the chapter list, a tap on
the page-contents button opens the page's contents, each in the theme's dialog, and no tooltip is
left over the header's icons. On a desktop (1280 px) a click on the chapter-list button collapses
the chapter list and a second click brings it back. Before the fix the visible buttons had no
handler: nothing happened (pydata/pydata-sphinx-theme#2451, executablebooks/sphinx-book-theme#988).
"""

import pytest

from conftest import PHONE

DOC = "book/02_likelihood"
VISIBLE = ".bd-header-article"  # the article header, where the reader's buttons are
TOOLTIP_DELAY_MS = 500 + 300  # the theme shows a tooltip 500 ms after the pointer arrives


@pytest.fixture
def phone(browser, site, request):
    from conftest import collect_errors, keep_on_site

    context = keep_on_site(
        browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True, color_scheme=request.param), site
    )
    page = context.new_page()
    page.errors = collect_errors(page)
    page.goto(f"{site}/{DOC}.html")
    yield page
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("phone", ["light", "dark"], indirect=True)
def test_on_a_phone_a_tap_opens_the_chapter_list_and_the_page_contents(phone):
    for toggle, dialog, link in [
        (".primary-toggle", "#pst-primary-sidebar-modal", "a.reference.internal[href$='04_nll.html']"),
        (".secondary-toggle", "#pst-secondary-sidebar-modal", "nav.page-toc a[href^='#']"),
    ]:
        button = phone.locator(f"{VISIBLE} {toggle}")
        assert button.is_visible(), f"no visible {toggle} in the article header at 390 px"
        button.tap()
        opened = phone.locator(dialog)
        opened.locator(link).first.wait_for(state="visible", timeout=5_000)
        assert phone.evaluate(f"document.querySelector('{dialog}').open"), f"{dialog} did not open"
        phone.keyboard.press("Escape")
        opened.wait_for(state="hidden", timeout=5_000)
        phone.wait_for_timeout(TOOLTIP_DELAY_MS)
        shown = phone.locator(".tooltip.show")
        assert shown.count() == 0, f"a tooltip stays after the tap: {shown.all_inner_texts()}"
    assert not phone.errors, phone.errors


@pytest.mark.browser
def test_on_a_desktop_a_click_collapses_the_chapter_list_and_brings_it_back(page, site):
    page.goto(f"{site}/{DOC}.html")
    sidebar = page.locator("#pst-primary-sidebar")
    chapter = sidebar.locator("a.reference.internal[href$='04_nll.html']")
    assert chapter.is_visible()
    button = page.locator(f"{VISIBLE} .primary-toggle")
    button.click()
    chapter.wait_for(state="hidden", timeout=5_000)
    assert not page.evaluate("document.querySelector('#pst-primary-sidebar-modal').open"), "a dialog opened"
    button.click()
    chapter.wait_for(state="visible", timeout=5_000)


@pytest.mark.browser
@pytest.mark.parametrize("phone", ["light"], indirect=True)
def test_on_a_phone_the_header_has_no_fullscreen_button_and_no_pill_covers_the_text(phone):
    icons = phone.locator(f"{VISIBLE} .btn:visible")
    assert not phone.locator(f"{VISIBLE} .btn-fullscreen-button").is_visible()
    assert icons.count() <= 7, f"{icons.count()} icons in the phone's header"
    phone.mouse.wheel(0, 2500)  # the theme shows its pill after a scroll down and up again
    phone.wait_for_timeout(300)
    phone.mouse.wheel(0, -300)
    phone.wait_for_timeout(500)
    assert not phone.locator("#pst-back-to-top").is_visible(), "the Back to top pill covers the text"
    weight = phone.eval_on_selector("figure figcaption", "el => getComputedStyle(el).fontWeight")
    assert weight == "400", f"captions at weight {weight}"


@pytest.mark.browser
def test_on_a_desktop_the_header_keeps_its_fullscreen_button(page, site):
    page.goto(f"{site}/{DOC}.html")
    assert page.locator(f"{VISIBLE} .btn-fullscreen-button").is_visible()
