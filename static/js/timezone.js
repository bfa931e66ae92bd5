// Fill the hidden "browser time zone" fields with the browser's IANA zone, so a person who
// never chose one gets theirs instead of UTC. Without JavaScript the field stays empty.
(function () {
  "use strict";
  var zone = "";
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (error) {
    zone = "";
  }
  if (!zone) return;
  document.querySelectorAll("input[data-browser-time-zone]").forEach(function (input) {
    input.value = zone;
  });
})();
