/* The theme's print and full-screen buttons, bound here instead of by inline onclick attributes
 * (code/course_build/ext/csp.py replaces those with data-lc-action), so that the site's policy allows no inline
 * handler at all. (The course's own print button is a link to its PDF: code/course_build/ext/course_pdf.py.) */
"use strict";
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-lc-action]");
  if (!button) return;
  if (button.dataset.lcAction === "print") window.print();
  else if (button.dataset.lcAction === "fullscreen" && typeof toggleFullScreen === "function") toggleFullScreen();
});
