/* Suggestions as one types, for <input data-lookup="commune|activity" data-lookup-url="…">.
   The server answers {"results": [...]} (web/lookups/views.py); the suggestions fill a
   <datalist>, so the browser shows them and the keyboard picks them. Without this script the
   field still accepts what was typed (a name, a postal code, a trade, a code). */
(function () {
  "use strict";
  var DELAY_MS = 200;

  function optionValue(kind, item) { return kind === "commune" ? item.label : item.text; }

  function attach(input, index) {
    var kind = input.dataset.lookup;
    var list = document.createElement("datalist");
    list.id = (input.id || "lookup-" + index) + "-suggestions";
    input.insertAdjacentElement("afterend", list);
    input.setAttribute("list", list.id);
    var timer = null;
    var last = "";
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var text = input.value.trim();
      if (text.length < 2 || text === last) { return; }
      timer = setTimeout(function () {
        last = text;
        fetch(input.dataset.lookupUrl + "?q=" + encodeURIComponent(text), {headers: {"Accept": "application/json"}})
          .then(function (response) { return response.ok ? response.json() : {results: []}; })
          .then(function (data) {
            list.replaceChildren.apply(list, data.results.map(function (item) {
              var option = document.createElement("option");
              option.value = optionValue(kind, item);
              return option;
            }));
          })
          .catch(function () { /* no suggestions: typing still works */ });
      }, DELAY_MS);
    });
  }

  function init() { document.querySelectorAll("input[data-lookup]").forEach(attach); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
