/* Progressive enhancement for the self-assessment. Everything works without this file.
 *
 * 1. Follow-up questions (data-ask-if="<question id>", data-ask-at-least="<n>") are hidden
 *    while the question they depend on has no answer of at least n, unless they already hold
 *    an answer (an answer is never hidden or thrown away).
 * 2. Crisis help next to the answer that calls for it: the server marks every option that
 *    would call for the crisis panel with data-crisis="panel" (decided by
 *    rules.crisis_decision); this script only shows the box under that question
 *    (data-live-crisis-for="<question id>") while such an option is chosen. It never decides
 *    anything about risk itself.
 * 3. After a failed submit, focus moves to the error summary (unless crisis help leads the page).
 */
(function () {
  "use strict";

  function checkedValue(form, name) {
    var input = form.querySelector('input[name="' + name + '"]:checked');
    return input ? parseInt(input.value, 10) : null;
  }

  function hasAnswer(group) {
    return group.querySelector("input:checked") !== null;
  }

  function updateConditionals(form) {
    form.querySelectorAll("[data-ask-if]").forEach(function (group) {
      var value = checkedValue(form, group.getAttribute("data-ask-if"));
      var atLeast = parseInt(group.getAttribute("data-ask-at-least") || "1", 10);
      var asked = value !== null && !isNaN(value) && value >= atLeast;
      group.hidden = !asked && !hasAnswer(group);
    });
  }

  function updateLiveCrisis(form) {
    form.querySelectorAll("[data-live-crisis-for]").forEach(function (box) {
      var name = box.getAttribute("data-live-crisis-for");
      var chosen = form.querySelector('input[name="' + name + '"][data-crisis="panel"]:checked');
      var appears = box.hidden && chosen !== null;
      box.hidden = chosen === null;
      // On a phone the box may start below the screen: bring it into view, without moving
      // focus away from the answer.
      if (appears && box.scrollIntoView) box.scrollIntoView({ block: "nearest" });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    // Never move focus (and the view) past crisis help that leads the page.
    var summary = document.getElementById("error-summary");
    // A refused form the person just sent below crisis help (the result page's call back) is
    // marked data-always-focus: the message is what they need next.
    if (summary && (summary.hasAttribute("data-always-focus") ||
        !document.querySelector(".crisis-panel-main"))) summary.focus();
    var form = document.querySelector("form.assessment-form");
    if (!form) return;
    updateConditionals(form);
    updateLiveCrisis(form);
    form.addEventListener("change", function () {
      updateConditionals(form);
      updateLiveCrisis(form);
    });
  });
})();
