// GOV.UK radios with a conditional reveal (the new-campaign form's lead, under the
// Digital Maturity Assessment): show what belongs to the chosen radio, hide the rest.
// Without JavaScript every conditional part is shown and the server checks the form.
(function () {
  var inputs = document.querySelectorAll('[data-module="govuk-radios"] input[type="radio"][data-aria-controls]');
  if (!inputs.length) { return; }
  function sync() {
    Array.prototype.forEach.call(inputs, function (input) {
      var target = document.getElementById(input.getAttribute("data-aria-controls"));
      if (!target) { return; }
      // a part with an error stays in view: the error summary links into it
      var shown = input.checked || !!target.querySelector(".govuk-form-group--error");
      input.setAttribute("aria-controls", target.id);  // (no aria-expanded: a radio cannot carry it)
      target.classList.toggle("govuk-radios__conditional--hidden", !shown);
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll('[data-module="govuk-radios"] input[type="radio"]'),
    function (radio) { radio.addEventListener("change", sync); });
  sync();
})();
