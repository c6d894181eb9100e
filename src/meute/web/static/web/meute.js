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
  /* A creation form's one-time key (<input name="submission">, meute.core.submissions) names one
     intent: the same form with the same content sent again shows what the first sending made.
     When a form is sent, its key and content are kept for the tab. Coming back to the form with
     the browser's Back button fetches the page again with a new key: sent with the same content,
     the key it was first sent with is put back (the server then says it was already sent); a form
     whose content was changed after it was sent gets a new key, since it asks for something new. */
  function keySlot(form) {
    return "meute-sent:" + location.pathname + ">" + (form.getAttribute("action") || "");
  }
  function contentOf(form) {
    var parts = [];
    new FormData(form).forEach(function (value, name) {
      if (name === "submission" || name === "csrfmiddlewaretoken") { return; }
      parts.push(name + "=" + (typeof value === "string" ? value : value.name + ":" + value.size));
    });
    return parts.join("&");
  }
  function newKey() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }
  function cameBack() {
    var entries = window.performance && performance.getEntriesByType ? performance.getEntriesByType("navigation") : [];
    return entries.length > 0 && entries[0].type === "back_forward";
  }
  function settleKey(form) {
    var key = form.querySelector("input[name=submission]"), sent = null, content;
    if (!key || !key.value) { return; }
    content = contentOf(form);
    try { sent = JSON.parse(sessionStorage.getItem(keySlot(form)) || "null"); } catch (e) { sent = null; }
    if (sent && sent.content === content && cameBack()) {
      key.value = sent.key;  /* the same form sent again after going back */
    } else if (sent && sent.key === key.value && sent.content !== content) {
      key.value = newKey();  /* the page kept from before, changed: a new intent */
    }
    try {
      sessionStorage.setItem(keySlot(form), JSON.stringify({key: key.value, content: content}));
    } catch (e) { /* storage refused: the server still keeps each key to one object */ }
  }
  function sendOnce() {
    document.addEventListener("submit", function (event) {
      var form = event.target;
      if (event.defaultPrevented || (form.getAttribute("method") || "").toLowerCase() !== "post" ||
          form.hasAttribute("target")) { return; }
      if (form.dataset.sending) { event.preventDefault(); return; }
      settleKey(form);
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
