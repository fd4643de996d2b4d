/* Quick exit ("Leave this site") on every page. Works without this file: the link leads to
 * /assessment/leave/, which clears this browser's run and sends it to a neutral site.
 *
 * With this file: a click (or Escape pressed 3 times within 2 seconds) sends a beacon to
 * /assessment/leave/ to clear the run and replaces the page with the neutral site (location.replace, so
 * Back does not come back here).
 */
(function () {
  "use strict";

  function leave(link) {
    var target = link.getAttribute("data-quick-exit");
    var clear = link.getAttribute("data-leave-url");
    if (!target) return false;
    try {
      if (navigator.sendBeacon) navigator.sendBeacon(clear, "");
    } catch (error) { /* the redirect below still goes */ }
    document.body.hidden = true;
    window.location.replace(target);
    return true;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var link = document.querySelector("a.quick-exit");
    if (!link) return;
    link.addEventListener("click", function (event) {
      if (leave(link)) event.preventDefault();
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
