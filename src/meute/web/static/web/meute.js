/* meute's page behaviours. Scripts live here, never inline, so the Content-Security-Policy
   can refuse every inline script. Each behaviour starts from a data attribute in the page. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var PERSONAL_CACHE = "meute-personal";  /* the service worker's cache of pages kept for offline reading */

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

  /* <button data-menu-toggle aria-controls="id" aria-expanded>: opens and closes the menu on a phone.
     Without scripts the button stays hidden and the menu open (meute.css). */
  function menuToggle(button) {
    var menu = document.getElementById(button.getAttribute("aria-controls"));
    if (!menu) { return; }
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", open ? "true" : "false");
      menu.classList.toggle("open", open);
      if (open) { var first = menu.querySelector("a, input, button"); if (first) { first.focus(); } }
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        button.setAttribute("aria-expanded", "false");
        menu.classList.remove("open");
        button.focus();
      }
    });
  }

  /* <details data-disclosure>: a menu of the header. Native details open and close it (with or
     without scripts); here Escape closes it and gives the focus back to its summary, a click or a
     focus outside closes it, and opening one closes the others. */
  function disclosures(all) {
    function closeOthers(keep) {
      all.forEach(function (other) { if (other !== keep && other.open) { other.open = false; } });
    }
    all.forEach(function (details) {
      details.addEventListener("toggle", function () { if (details.open) { closeOthers(details); } });
      details.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && details.open) {
          event.stopPropagation();  /* the phone menu around it stays open */
          details.open = false;
          details.querySelector("summary").focus();
        }
      });
    });
    function outside(event, droppedOnly) {
      all.forEach(function (details) {
        if (!details.open || details.contains(event.target)) { return; }
        /* the focus moving on closes only the panels laid over the page: closing one that takes its
           place in the page (the folded phone menu) would move what is being clicked */
        var panel = details.querySelector(".disclosure-panel");
        if (droppedOnly && panel && getComputedStyle(panel).position !== "absolute") { return; }
        details.open = false;
      });
    }
    document.addEventListener("click", function (event) { outside(event, false); });
    document.addEventListener("focusin", function (event) { outside(event, true); });
  }

  /* <form data-logout>: the pages kept for offline reading are deleted before the session ends
     (the logout answer also carries Clear-Site-Data, and the service worker empties its cache
     when the person behind the pages changes). */
  function logoutForm(form) {
    form.addEventListener("submit", function (event) {
      if (!window.caches || form.dataset.cleared) { return; }
      event.preventDefault();
      form.dataset.cleared = "1";
      var done = function () { form.submit(); };
      if (navigator.serviceWorker && navigator.serviceWorker.controller) {
        navigator.serviceWorker.controller.postMessage({type: "logout"});
      }
      window.caches.delete(PERSONAL_CACHE).then(done, done);
    });
  }

  /* A form sent by POST is sent once: a second click (or Enter) while the first sending is on its
     way is ignored, so a double click makes one request. Creation forms hold the same promise on
     the server (a one-time key, meute.core.submissions); this spares the second request for every
     form. A form a script sends itself or that opens elsewhere (target) is left alone. The lock
     lifts after a few seconds (a download answers without leaving the page) and when the page is
     shown again from the browser's history. */
  var SENDING_LOCK_MS = 8000;
  function release(form) {
    delete form.dataset.sending;
    form.removeAttribute("aria-busy");
  }
  function sendOnce() {
    document.addEventListener("submit", function (event) {
      var form = event.target;
      if (event.defaultPrevented || (form.getAttribute("method") || "").toLowerCase() !== "post" ||
          form.hasAttribute("target")) { return; }
      if (form.dataset.sending) { event.preventDefault(); return; }
      form.dataset.sending = "1";
      form.setAttribute("aria-busy", "true");
      setTimeout(function () { release(form); }, SENDING_LOCK_MS);
    });
    window.addEventListener("pageshow", function () {
      document.querySelectorAll("form[data-sending]").forEach(release);
    });
  }

  /* <body data-service-worker="/sw.js">: installable app, personal pages readable offline. */
  function registerServiceWorker() {
    var url = document.body.dataset.serviceWorker;
    if (url && "serviceWorker" in navigator && window.isSecureContext) {
      navigator.serviceWorker.register(url, {scope: "/"}).catch(function () { /* the site works without it */ });
    }
  }

  /* A table wider than a phone scrolls inside its box (meute.css): the keyboard can reach and
     scroll it once it is focusable. */
  function scrollableTables() {
    document.querySelectorAll("table.list").forEach(function (table) {
      if (table.scrollWidth > table.clientWidth + 1) {
        table.setAttribute("tabindex", "0");
      } else if (table.getAttribute("tabindex") === "0") {
        table.removeAttribute("tabindex");
      }
    });
  }

  function init() {
    document.querySelectorAll("[data-ends]").forEach(startTimer);
    scrollableTables();
    window.addEventListener("resize", scrollableTables);
    document.querySelectorAll("[data-menu-toggle]").forEach(menuToggle);
    disclosures(Array.prototype.slice.call(document.querySelectorAll("details[data-disclosure]")));
    document.querySelectorAll("form[data-logout]").forEach(logoutForm);
    sendOnce();
    registerServiceWorker();
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
