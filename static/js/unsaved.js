/*
 * A warning before leaving a page with unsaved changes, for forms that ask for it:
 * <form data-warn-unsaved>. The browser asks "Lämna webbplatsen?" when the page is left
 * while a field of such a form differs from its value when the page was shown; not when
 * the form itself is being submitted. A form shown again with what was typed (after an
 * error, nothing saved) also says data-unsaved: it warns even before anything is changed.
 */
(function () {
  "use strict";
  var forms = document.querySelectorAll("form[data-warn-unsaved]");
  if (!forms.length) {
    return;
  }
  var submitting = false;

  function selectChanged(select) {
    var options = Array.prototype.slice.call(select.options);
    var initial = options.some(function (option) { return option.defaultSelected; });
    return options.some(function (option, index) {
      // A single select none of whose options says "selected" starts at its first option.
      var wanted = initial || select.multiple ? option.defaultSelected : index === 0;
      return option.selected !== wanted;
    });
  }

  function fieldChanged(field) {
    if (field.disabled || !field.name) {
      return false;
    }
    var type = (field.type || "").toLowerCase();
    if (type === "checkbox" || type === "radio") {
      return field.checked !== field.defaultChecked;
    }
    if (field.tagName === "SELECT") {
      return selectChanged(field);
    }
    if (field.tagName === "TEXTAREA" || (field.tagName === "INPUT" &&
        ["hidden", "submit", "button", "reset", "image", "file"].indexOf(type) === -1)) {
      return field.value !== field.defaultValue;
    }
    return false;
  }

  function unsaved(form) {
    return form.hasAttribute("data-unsaved") ||
      Array.prototype.some.call(form.elements, fieldChanged);
  }

  // Registered on the window, so that it runs after the form's own handlers: a submit one
  // of them stops does not count.
  window.addEventListener("submit", function (event) {
    if (!event.defaultPrevented && event.target.hasAttribute("data-warn-unsaved")) {
      submitting = true;
    }
  });

  // Back to the page from the browser's cache: nothing is being submitted any more.
  window.addEventListener("pageshow", function () {
    submitting = false;
  });

  window.addEventListener("beforeunload", function (event) {
    if (submitting || !Array.prototype.some.call(forms, unsaved)) {
      return undefined;
    }
    event.preventDefault();
    event.returnValue = ""; // older browsers ask only when a value is set
    return "";
  });
})();
