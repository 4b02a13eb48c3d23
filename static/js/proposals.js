/*
 * Forecast proposals (followup.forecasts, written by followup.reports.report_table.proposal):
 * the button "Använd förslaget" below a forecast field puts the proposed amount in the
 * field, as the field shows amounts, when it is pressed and never otherwise. The field then
 * counts as changed: the `input` event lets static/js/report-form.js recalculate the
 * deviation, and static/js/unsaved.js warns before leaving, as if the amount were typed.
 *
 * Without JavaScript the buttons stay hidden and the proposals are text to read.
 */
(function () {
  "use strict";

  var buttons = document.querySelectorAll("button[data-proposal-for]");
  Array.prototype.forEach.call(buttons, function (button) {
    var field = document.getElementById(button.getAttribute("data-proposal-for"));
    if (!field) {
      return;
    }
    button.addEventListener("click", function () {
      field.value = button.getAttribute("data-proposal-value");
      field.dispatchEvent(new Event("input", { bubbles: true }));
      field.dispatchEvent(new Event("change", { bubbles: true }));
    });
    button.hidden = false;
  });
})();
