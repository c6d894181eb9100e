/* meute's page behaviours. Scripts live here, never inline, so the Content-Security-Policy
   can refuse every inline script. Each behaviour starts from a data attribute in the page. */
(function () {
  "use strict";

  /* <p id="timer" data-ends="ISO date">: a mm:ss countdown (the room screen). */
  function startTimer(el) {
    var end = new Date(el.dataset.ends);
    function tick() {
      var s = Math.max(0, Math.round((end - new Date()) / 1000));
      el.textContent = String(Math.floor(s / 60)).padStart(2, "0") + ":" + String(s % 60).padStart(2, "0");
      if (s > 0) { setTimeout(tick, 1000); }
    }
    tick();
  }

  function init() {
    document.querySelectorAll("[data-ends]").forEach(startTimer);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
