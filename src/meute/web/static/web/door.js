/* The door page: scan a check-in QR code with the phone's camera (html5-qrcode) and submit it. */
(function () {
  "use strict";
  function ready() {
    var button = document.getElementById("start-scan");
    var form = document.getElementById("scan-form");
    if (!button || !form || typeof Html5Qrcode === "undefined") return;
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;  // no camera (or not HTTPS)
    button.hidden = false;
    var scanner = null;
    button.addEventListener("click", function () {
      button.disabled = true;
      scanner = new Html5Qrcode("reader");
      scanner.start({ facingMode: "environment" }, { fps: 10, qrbox: 220 }, function (text) {
        scanner.stop().finally(function () {
          document.getElementById("id_code").value = text;
          form.submit();
        });
      }).catch(function () { button.disabled = false; });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
