/* Staff idle warning (WCAG 2.2.1 Timing Adjustable): before the automatic sign-out, show a
   dialog with a "Stay signed in" button that extends the session. Without JavaScript the
   sign-out still happens, and the page header says when.

   Only a real action extends the session. Before warning, and at the deadline, the page asks the
   server how long the session has left with a passive request (header X-Staff-Idle-Check: 1,
   which the server never counts as activity): if another tab was used meanwhile, the timers
   follow it; if the session has ended, the page reloads to the sign-in page. The page never
   reloads itself while the session is alive, so two open tabs cannot keep each other signed in. */
(function () {
  "use strict";
  var dialog = document.getElementById("idle-warning");
  if (!dialog || !window.fetch) { return; }
  var timeout = parseInt(dialog.getAttribute("data-timeout"), 10) * 1000;
  var warnBefore = parseInt(dialog.getAttribute("data-warn-before"), 10) * 1000;
  var statusUrl = dialog.getAttribute("data-status-url");
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
    if (!dialog.hidden) { return; }
    lastFocus = document.activeElement;
    dialog.hidden = false;
    countdown.textContent = "(" + minutesLeft() + ")";
    tick = window.setInterval(function () {
      countdown.textContent = "(" + minutesLeft() + ")";
    }, 15000);
    dialog.querySelector("button").focus();
  }

  function hide() {
    if (dialog.hidden) { return; }
    dialog.hidden = true;
    window.clearInterval(tick);
    if (lastFocus && lastFocus.focus) { lastFocus.focus(); }
  }

  function signedOut() { window.location.reload(); }

  // Ask, without counting as activity, how long the session has left; then act on the answer.
  function checkStatus(atDeadline) {
    window.fetch(statusUrl, {
      credentials: "same-origin",
      cache: "no-store",
      headers: { "X-Staff-Idle-Check": "1", "Accept": "application/json" }
    }).then(function (response) {
      return response.ok ? response.json() : { signed_in: false };
    }).then(function (status) {
      if (!status.signed_in || status.seconds_left <= 0) {
        if (atDeadline) { signedOut(); }
        return;
      }
      var left = status.seconds_left * 1000;
      if (left > warnBefore + 1000) {
        hide();  // another tab was used meanwhile: follow its clock
        schedule(left);
      } else if (atDeadline) {
        schedule(left);
      } else {
        deadline = Date.now() + left;
        countdown.textContent = "(" + minutesLeft() + ")";
        window.clearTimeout(endTimer);
        endTimer = window.setTimeout(function () { checkStatus(true); }, left + 1000);
      }
    }, function () {
      if (atDeadline) { signedOut(); }  // no answer at the end: let the server show the page
    });
  }

  function warn() {
    show();
    checkStatus(false);
  }

  function schedule(left) {
    window.clearTimeout(warnTimer);
    window.clearTimeout(endTimer);
    deadline = Date.now() + left;
    warnTimer = window.setTimeout(warn, Math.max(0, left - warnBefore));
    endTimer = window.setTimeout(function () { checkStatus(true); }, left + 1000);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" }
    }).then(function (response) {
      if (response.ok) { hide(); schedule(timeout); } else { signedOut(); }
    }, signedOut);
  });

  schedule(timeout);
}());
