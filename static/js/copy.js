// Copy buttons: a progressive enhancement. Without JavaScript the button stays hidden and the
// field can be selected and copied by hand; with it, one click copies and says so.
(function () {
  "use strict";

  function copyFrom(field) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(field.value);
    }
    // Plain http (local development): the older selection API still works.
    field.select();
    var copied = document.execCommand("copy");
    return copied ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  function enhance(button) {
    var field = document.getElementById(button.getAttribute("data-copy-target"));
    if (!field) {
      return;
    }
    var status = button.parentNode.querySelector(".copy-status");
    var label = button.textContent;
    button.hidden = false;
    field.addEventListener("focus", function () {
      field.select();
    });
    button.addEventListener("click", function () {
      copyFrom(field).then(
        function () {
          button.textContent = button.getAttribute("data-copied-text");
          if (status) {
            status.textContent = button.getAttribute("data-copied-text");
          }
          window.setTimeout(function () {
            button.textContent = label;
          }, 2500);
        },
        function () {
          field.focus();
          field.select();
        }
      );
    });
  }

  function init() {
    var buttons = document.querySelectorAll("[data-copy-target]");
    for (var i = 0; i < buttons.length; i += 1) {
      enhance(buttons[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
