// The article header's sidebar buttons (code/course_build/ext/header_toggles.py).
//
// pydata-sphinx-theme 0.17 and sphinx-book-theme 1.3 bind only the first .primary-toggle and
// .secondary-toggle of the page (querySelector): the hidden ones in the theme's own header. The
// visible ones, in the article header, did nothing: on a phone neither the chapter list nor the
// page contents opened, and on a desktop the chapter list did not collapse
// (pydata/pydata-sphinx-theme#2451, executablebooks/sphinx-book-theme#988). Each visible button
// passes its click on to the bound one, which opens the dialog on a phone and collapses the
// sidebar on a desktop, as the themes meant.
//
// A tap on a touch screen also left the button's tooltip over its neighbours ("Toggle primary
// sidebar" over the colour-mode button): no header tooltip opens on a touch.
"use strict";
(() => {
  for (const selector of [".primary-toggle", ".secondary-toggle"]) {
    const bound = document.querySelector(selector);
    for (const button of document.querySelectorAll(selector)) {
      if (button === bound) continue;
      button.addEventListener("click", (event) => {
        event.preventDefault();
        event.stopPropagation();
        bound.click();
      });
    }
  }

  let touch = false;
  document.addEventListener("pointerdown", (event) => (touch = event.pointerType === "touch"), true);
  // Bootstrap's cancelable event, sent before a tooltip shows
  document.addEventListener("show.bs.tooltip", (event) => touch && event.preventDefault(), true);
})();
