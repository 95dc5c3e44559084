// The budget meter on a participatory-budgeting ballot: shows what is left in each pot (money,
// or points on a cumulative ballot) as the voter chooses. Only an aid: the server checks every
// ballot and explains what is wrong without this script.
"use strict";
(function () {
  var form = document.querySelector("form[data-budget-meter]");
  if (!form) return;
  var kind = form.getAttribute("data-kind");
  var points = parseInt(form.getAttribute("data-points"), 10) || 0;
  function update() {
    var pots = form.querySelectorAll("fieldset[data-pot]");
    for (var i = 0; i < pots.length; i++) {
      var pot = pots[i];
      var budget = parseInt(pot.getAttribute("data-budget"), 10) || 0;
      var used = 0;
      var inputs = pot.querySelectorAll("input[data-cost]");
      for (var j = 0; j < inputs.length; j++) {
        var input = inputs[j];
        if (kind === "cumulative") {
          used += parseInt(input.value, 10) || 0;
        } else if (kind === "ranking") {
          if (input.value !== "") used += parseInt(input.getAttribute("data-cost"), 10) || 0;
        } else if (input.checked) {
          used += parseInt(input.getAttribute("data-cost"), 10) || 0;
        }
      }
      var left = (kind === "cumulative" ? points : budget) - used;
      var output = pot.querySelector("output[data-left]");
      if (output) {
        output.textContent = String(left);
        output.classList.toggle("over", left < 0);
      }
    }
  }
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
})();
