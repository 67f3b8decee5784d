// Import progress: poll the import's status and update the counts; open the result when the work ends.
// Without JavaScript the page refreshes itself (a <noscript> meta refresh) and has a refresh link.
(function () {
  "use strict";
  var panel = document.getElementById("import-progress");
  if (!panel || !window.fetch) return;
  var url = panel.getAttribute("data-status-url");
  var number = new Intl.NumberFormat("en-GB");

  function show(status) {
    panel.querySelectorAll("[data-progress]").forEach(function (element) {
      var value = status[element.getAttribute("data-progress")];
      if (value === undefined || value === null) return;
      element.textContent = typeof value === "number" ? number.format(value) : value;
    });
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (status) {
        show(status);
        if (status.busy) {
          window.setTimeout(poll, 700);
        } else {
          window.location.assign(status.url);
        }
      })
      .catch(function () {
        window.setTimeout(poll, 3000);
      });
  }

  window.setTimeout(poll, 500);
})();
