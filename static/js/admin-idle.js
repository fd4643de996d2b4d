/* Staff idle warning (WCAG 2.2.1 Timing Adjustable): before the automatic sign-out, show a
   dialog with a "Stay signed in" button that extends the session. Without JavaScript the
   sign-out still happens, and the page header says when. */
(function () {
  "use strict";
  var dialog = document.getElementById("idle-warning");
  if (!dialog || !window.fetch) { return; }
  var timeout = parseInt(dialog.getAttribute("data-timeout"), 10) * 1000;
  var warnBefore = parseInt(dialog.getAttribute("data-warn-before"), 10) * 1000;
  var form = dialog.querySelector("form");
  var countdown = dialog.querySelector(".adm-idle-countdown");
  var lastFocus = null;
  var warnTimer = null;
  var endTimer = null;
  var tick = null;
  var deadline = 0;

  function minutesLeft() {
    var seconds = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    return seconds >= 60 ? Math.ceil(seconds / 60) + " min" : seconds + " s";
  }

  function show() {
    lastFocus = document.activeElement;
    dialog.hidden = false;
    countdown.textContent = "(" + minutesLeft() + ")";
    tick = window.setInterval(function () {
      countdown.textContent = "(" + minutesLeft() + ")";
    }, 15000);
    dialog.querySelector("button").focus();
  }

  function hide() {
    dialog.hidden = true;
    window.clearInterval(tick);
    if (lastFocus && lastFocus.focus) { lastFocus.focus(); }
  }

  function schedule() {
    window.clearTimeout(warnTimer);
    window.clearTimeout(endTimer);
    deadline = Date.now() + timeout;
    warnTimer = window.setTimeout(show, Math.max(0, timeout - warnBefore));
    // At the deadline, reload: the server has signed the person out and shows the sign-in page.
    endTimer = window.setTimeout(function () { window.location.reload(); }, timeout + 1000);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" }
    }).then(function (response) {
      if (response.ok) { hide(); schedule(); } else { window.location.reload(); }
    }, function () { window.location.reload(); });
  });

  schedule();
}());
