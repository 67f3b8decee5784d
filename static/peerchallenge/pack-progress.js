// Pack build progress: poll the build's status and update the counts; reload the page when it ends.
// Without JavaScript the page has a refresh link.
(function () {
  "use strict";
  var panel = document.getElementById("pack-progress");
  if (!panel || !window.fetch) return;
  var url = panel.getAttribute("data-status-url");

  function show(status) {
    panel.querySelectorAll("[data-progress]").forEach(function (element) {
      var value = status[element.getAttribute("data-progress")];
      if (value === undefined || value === null) return;
      element.textContent = String(value);
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
        if (status.finished) {
          window.location.assign(status.url);
        } else {
          window.setTimeout(poll, 800);
        }
      })
      .catch(function () {
        window.setTimeout(poll, 3000);
      });
  }

  window.setTimeout(poll, 500);
})();
