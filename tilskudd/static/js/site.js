// Small behaviours every page shares; the pages work without them.
(function () {
  "use strict";
  // Put the cursor in the field with this id (a link from an error summary, on this page or
  // another) and bring it into view; false if there is no such field to focus.
  function focusField(id) {
    var field = id && document.getElementById(id);
    if (!field || !field.matches("input, select, textarea, fieldset, [tabindex]")) return false;
    field.focus();
    field.scrollIntoView({ block: "center" });
    return true;
  }
  function focusHash() {
    return focusField(decodeURIComponent(window.location.hash.slice(1)));
  }
  document.addEventListener("DOMContentLoaded", function () {
    if (focusHash()) return;
    // After a failed POST the summary of what to correct is read first.
    var summary = document.querySelector(".ds-error-summary[data-autofocus]");
    if (summary) summary.focus();
  });
  window.addEventListener("hashchange", focusHash);
  // Error summary links within the page focus the field too (hashchange does not fire for the same hash).
  document.addEventListener("click", function (event) {
    var link = event.target.closest(".ds-error-summary a[href^='#']");
    if (link && focusField(decodeURIComponent(link.getAttribute("href").slice(1)))) event.preventDefault();
  });
  // The file field says which file was chosen, in the page's language.
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches(".file-input input[type=file]")) return;
    var name = input.parentElement.querySelector(".file-input__name");
    if (name) name.textContent = input.files.length ? input.files[0].name : name.getAttribute("data-none");
  });
})();
