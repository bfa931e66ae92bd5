// Small enhancements on top of htmx; every page works without this file.
(function () {
  "use strict";
  var focusedId = null;
  // htmx replaces the status controls; put keyboard focus back on the same button.
  document.addEventListener("htmx:beforeSwap", function () {
    var active = document.activeElement;
    focusedId = active && active.id ? active.id : null;
  });
  document.addEventListener("htmx:afterSettle", function () {
    if (!focusedId) return;
    var again = document.getElementById(focusedId);
    if (!again) {
      // The pressed button may be gone (e.g. "Clear"): fall back to its group's first one.
      var form = document.getElementById(focusedId.replace(/-[a-z]+$/, ""));
      again = form && form.querySelector("button");
    }
    if (again) again.focus();
    focusedId = null;
  });
})();
