// Member import page: polls the job's JSON status while it runs, then reloads the page.
(function () {
  "use strict";
  var box = document.getElementById("import-progress");
  if (!box) { return; }
  var percent = document.getElementById("import-percent");
  var bar = document.getElementById("import-bar");
  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        percent.textContent = data.progress;
        bar.value = data.progress;
        if (data.running) { window.setTimeout(poll, 1000); } else { window.location.reload(); }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();
