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

  /* <… data-status-url="…" [data-poll-ms="700"]>: poll a background job's JSON status
     ({status, progress}); show the progress in #progress / #progress-bar when present, and
     reload the page once the job is no longer pending or running. */
  function startPolling(el) {
    var delay = parseInt(el.dataset.pollMs || "1000", 10);
    function poll() {
      fetch(el.dataset.statusUrl, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
        .then(function (r) { return r.json(); })
        .then(function (d) {
          var text = document.getElementById("progress"), bar = document.getElementById("progress-bar");
          if (d.progress !== undefined && text) { text.textContent = d.progress; }
          if (d.progress !== undefined && bar) { bar.value = d.progress; }
          if (d.status === "pending" || d.status === "running") { setTimeout(poll, delay); }
          else { window.location.reload(); }
        })
        .catch(function () { setTimeout(poll, delay * 3); });
    }
    poll();
  }

  function init() {
    document.querySelectorAll("[data-ends]").forEach(startTimer);
    document.querySelectorAll("[data-status-url]").forEach(startPolling);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
