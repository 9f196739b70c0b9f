/* The theme's full-screen button, bound here instead of by an inline onclick attribute
 * (_ext/csp.py replaces it with data-lc-action), so that the site's policy allows no inline
 * handler at all. */
"use strict";
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-lc-action]");
  if (!button) return;
  if (button.dataset.lcAction === "fullscreen" && typeof toggleFullScreen === "function") toggleFullScreen();
});
