// Character counters: every <textarea data-counter maxlength=N> shows "n / N" below it, live.
(function () {
  "use strict";
  function attach(area) {
    var limit = parseInt(area.getAttribute("maxlength"), 10);
    if (!limit) { return; }
    var counter = document.createElement("small");
    counter.className = "char-counter";
    counter.setAttribute("aria-live", "polite");
    function update() {
      var used = area.value.length;
      counter.textContent = used.toLocaleString() + " / " + limit.toLocaleString();
      counter.classList.toggle("near-limit", used > limit * 0.9);
    }
    area.insertAdjacentElement("afterend", counter);
    area.addEventListener("input", update);
    update();
  }
  function start() {
    document.querySelectorAll("textarea[data-counter][maxlength]").forEach(attach);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
