/* Progressive enhancement for the self-assessment. Everything works without this file.
 *
 * 1. Follow-up questions (data-ask-if="<question id>") are hidden while the question they
 *    depend on has no answer that asks them, unless they already hold an answer (an answer is
 *    never hidden or thrown away).
 * 2. On the safety step, a "yes" to intent, a plan, or recent behaviour shows crisis help at
 *    once, before the person presses Next.
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
    var groups = form.querySelectorAll("[data-ask-if]");
    groups.forEach(function (group) {
      var value = checkedValue(form, group.getAttribute("data-ask-if"));
      var asked = value !== null && value >= 1;
      group.hidden = !asked && !hasAnswer(group);
    });
  }

  function updateLiveCrisis(form) {
    var panel = document.getElementById("live-crisis");
    if (!panel) return;
    var risky =
      checkedValue(form, "cssrs_4") === 1 ||
      checkedValue(form, "cssrs_5") === 1 ||
      checkedValue(form, "cssrs_6") === 2;
    panel.hidden = !risky;
  }

  document.addEventListener("DOMContentLoaded", function () {
    // Never move focus (and the view) past crisis help that leads the page.
    var summary = document.getElementById("error-summary");
    if (summary && !document.querySelector(".crisis-panel-main")) summary.focus();
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
