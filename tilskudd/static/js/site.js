// Small behaviours every page shares; the pages work without them.
(function () {
  "use strict";
  // A link to a field (from an error summary, on this page or another) puts the cursor in it.
  function focusTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (!target) return false;
    if (target.matches("input, select, textarea, fieldset, [tabindex]")) {
      target.focus({ preventScroll: false });
      target.scrollIntoView({ block: "center" });
      return true;
    }
    return false;
  }
  document.addEventListener("DOMContentLoaded", function () {
    if (focusTarget()) return;
    // After a failed POST the summary of what to correct is read first.
    var summary = document.querySelector(".ds-error-summary[data-autofocus]");
    if (summary) summary.focus();
  });
  window.addEventListener("hashchange", focusTarget);
  // Error summary links within the page focus the field too (hashchange does not fire for the same hash).
  document.addEventListener("click", function (event) {
    var link = event.target.closest(".ds-error-summary a[href^='#']");
    if (!link) return;
    var field = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (field) {
      event.preventDefault();
      field.focus();
      field.scrollIntoView({ block: "center" });
    }
  });
})();
// The file field says which file was chosen, in the page's language.
document.addEventListener("change", function (event) {
  var input = event.target;
  if (!input.matches || !input.matches(".file-input input[type=file]")) return;
  var name = input.parentElement.querySelector(".file-input__name");
  if (name) name.textContent = input.files.length ? input.files[0].name : name.getAttribute("data-none");
});
