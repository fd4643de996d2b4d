/* Progressive enhancement for the result page: "Copy link" and the browser's own Share sheet.
 * Without this file the link is shown in a read-only box (select and copy it by hand); the
 * buttons stay hidden unless the browser can do what they offer. No third-party code.
 */
(function () {
  "use strict";

  function say(text) {
    var status = document.querySelector(".keep-status");
    if (status) status.textContent = text;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var copy = document.querySelector("[data-copy-target]");
    if (copy && navigator.clipboard && window.isSecureContext) {
      copy.hidden = false;
      copy.addEventListener("click", function () {
        var input = document.getElementById(copy.getAttribute("data-copy-target"));
        navigator.clipboard.writeText(input.value).then(function () {
          say(copy.getAttribute("data-copied"));
        }, function () {
          input.select();
        });
      });
    }
    var share = document.querySelector("[data-share-url]");
    if (share && navigator.share) {
      share.hidden = false;
      share.addEventListener("click", function () {
        navigator.share({
          title: share.getAttribute("data-share-title"),
          url: share.getAttribute("data-share-url")
        }).catch(function () { /* the person closed the sheet */ });
      });
    }
  });
})();
