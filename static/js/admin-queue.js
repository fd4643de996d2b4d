/* The admissions queue's quiet check for new submissions.
   Every minute it asks the server for the newest shared submission's id (a passive request:
   header X-Staff-Idle-Check: 1, so an open tab does not keep the session alive). When a newer
   one has arrived it shows a notice with a link; it never reloads the page by itself, so a
   selection or anything typed is never lost. Without JavaScript the "Refresh" link does it. */
(function () {
  "use strict";
  var box = document.getElementById("adm-queue-refresh");
  if (!box || !window.fetch) { return; }
  var notice = box.querySelector(".adm-queue-refresh__notice");
  var known = parseInt(box.getAttribute("data-newest"), 10) || 0;
  var url = box.getAttribute("data-url");
  var every = 60 * 1000;

  function check() {
    window.fetch(url, {
      credentials: "same-origin",
      headers: { "X-Staff-Idle-Check": "1", "Accept": "application/json" }
    }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (data) {
      if (data && data.newest > known) {
        notice.textContent = notice.getAttribute("data-text") || "New submissions have arrived.";
        var link = document.createElement("a");
        link.href = window.location.href;
        link.textContent = " " + (notice.getAttribute("data-link") || "Show them");
        notice.appendChild(link);
        notice.hidden = false;
        return;
      }
      window.setTimeout(check, every);
    }).catch(function () { window.setTimeout(check, every); });
  }
  window.setTimeout(check, every);
}());
