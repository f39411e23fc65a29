// Polls the order once a second: redraws the animated QR code, shows BankID's message, and
// continues automatically when the order is complete. Without JavaScript the page refreshes.
(function () {
  "use strict";
  var box = document.querySelector(".eid");
  if (!box) { return; }
  var url = box.getAttribute("data-status-url");
  var message = document.getElementById("eid-message");
  var qr = document.getElementById("eid-qr");
  var finish = document.getElementById("eid-finish");
  function poll() {
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (state) {
        if (message.textContent !== state.message) { message.textContent = state.message; }
        if (state.qr) { qr.innerHTML = state.qr; qr.hidden = false; } else { qr.hidden = true; }
        if (state.status === "complete") { finish.hidden = false; finish.submit(); return; }
        if (state.status === "pending") { window.setTimeout(poll, 1000); }
        else { window.location.reload(); }
      })
      .catch(function () { window.setTimeout(poll, 2000); });
  }
  window.setTimeout(poll, 1000);
}());
