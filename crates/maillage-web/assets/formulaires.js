// A refused form's page (see maillage-web-kit's refill.rs): the address bar shows the form's page, so that a
// reload asks for that page again instead of sending the form a second time; the focus goes to the field to
// correct, or to the refusal's message when it names no field.
(function () {
  "use strict";
  var address = document.body.getAttribute("data-adresse");
  if (address && address.charAt(0) === "/" && window.history && window.history.replaceState) {
    window.history.replaceState(null, "", address);
  }
  var target = document.querySelector("form[data-refuse] [aria-invalid=\"true\"]") || document.getElementById("refus");
  if (target) {
    target.focus();
  }
})();
