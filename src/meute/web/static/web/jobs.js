/* A background job's page: while the job waits or runs, poll its status view and show its
   progress; once it has ended (done, failed, cancelled), reload the page once, which then
   shows the outcome and no longer polls. */
(function () {
  "use strict";
  var el = document.querySelector("[data-job-status-url]");
  if (!el) { return; }
  var every = parseInt(el.getAttribute("data-job-every") || "1000", 10);
  var bar = el.querySelector("progress");
  var percent = el.querySelector("[data-job-progress]");
  function show(data) {
    if (typeof data.progress === "number") {
      if (bar) { bar.value = data.progress; }
      if (percent) { percent.textContent = data.progress; }
    }
  }
  function poll() {
    fetch(el.getAttribute("data-job-status-url"), {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) {
        if (!response.ok) { throw new Error("status " + response.status); }
        return response.json();
      })
      .then(function (data) {
        show(data);
        if (data.active) { window.setTimeout(poll, every); } else { window.location.reload(); }
      })
      .catch(function () { window.setTimeout(poll, every * 5); });
  }
  window.setTimeout(poll, every);
}());
