/* The Django admin, as staff use it: names for the controls Django's own scripts draw without one.
 *
 * - the autocomplete fields (select2) draw a combobox named only by the chosen value: it gets its field's label;
 * - the filter boxes of the two-list selectors (groups, permissions) carry an icon with aria-label on a
 *   bare span, which ARIA does not allow: the icon becomes an image, so its label is read.
 * Both are drawn after the page loads, so the fixes run on what is added as well as what is there.
 */
(function () {
  "use strict";

  function nameComboboxes(root) {
    root.querySelectorAll(".select2-selection[role='combobox']:not([data-named])").forEach(function (box) {
      var container = box.closest(".select2");
      var select = container && container.previousElementSibling;
      var label = select && select.id ? document.querySelector("label[for='" + select.id + "']") : null;
      if (!label) {
        return;
      }
      label.id = label.id || select.id + "_label";
      // select2 names the box by the chosen value only (empty when nothing is chosen): the label comes first.
      var own = box.getAttribute("aria-labelledby");
      box.setAttribute("aria-labelledby", own ? label.id + " " + own : label.id);
      box.querySelectorAll("[role='textbox']").forEach(function (shown) {
        shown.setAttribute("aria-labelledby", label.id);
      });
      box.setAttribute("data-named", "");
    });
  }

  function iconsAreImages(root) {
    root.querySelectorAll("span.help-tooltip[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  }

  function fix(root) {
    nameComboboxes(root);
    iconsAreImages(root);
  }

  document.addEventListener("DOMContentLoaded", function () {
    fix(document);
    new MutationObserver(function () {
      fix(document);
    }).observe(document.body, { childList: true, subtree: true });
  });
})();
