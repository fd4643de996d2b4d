/* Quick exit ("Leave this site") on every page. Works without this file: the link leads to
 * /assessment/leave/, which clears this browser's run and redirects to a neutral site.
 *
 * With this file: a click (or Escape pressed 3 times within 2 seconds) hides the page at once
 * and goes the same way with location.replace, so Back does not come back here. (Through our
 * own endpoint, not a beacon: the run is cleared before the neutral site opens, every time.)
 */
(function () {
  "use strict";

  function leave(link) {
    document.body.hidden = true;
    window.location.replace(link.href);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var link = document.querySelector("a.quick-exit");
    if (!link) return;
    link.addEventListener("click", function (event) {
      event.preventDefault();
      leave(link);
    });
    var presses = [];
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") return;
      var now = Date.now();
      presses = presses.filter(function (time) { return now - time < 2000; });
      presses.push(now);
      if (presses.length >= 3) leave(link);
    });
  });
})();
