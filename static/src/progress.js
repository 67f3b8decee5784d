// Progress of background work (an import, a pack build): poll the status JSON the panel names, show its
// counts, and open the result when the work has ended. Without JavaScript the page refreshes itself (a
// <noscript> meta refresh) or has a refresh link. Used by any page with a [data-app-progress] panel.
(function () {
  "use strict";
  var panel = document.querySelector("[data-app-progress]");
  if (!panel || !window.fetch) return;
  var url = panel.getAttribute("data-status-url");
  var number = new Intl.NumberFormat("en-GB");

  function show(status) {
    panel.querySelectorAll("[data-progress]").forEach(function (element) {
      var value = status[element.getAttribute("data-progress")];
      if (value === undefined || value === null) return;
      element.textContent = typeof value === "number" ? number.format(value) : String(value);
    });
  }

  // The import's status says "busy"; a pack build's and a pack's say "finished" (a pack's "state" is
  // "building", "ready" or "failed", and its "url" the file once ready).
  function ended(status) {
    return status.finished === true || status.busy === false;
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (status) {
        show(status);
        if (ended(status)) {
          // A file to download (a pack): the browser saves it and this page stays, so it says so and
          // offers the link in case the download was blocked.
          var ready = status.state === "ready" && panel.querySelector("[data-progress-ready]");
          if (ready) {
            ready.hidden = false;
            ready.querySelector("a").setAttribute("href", status.url);
          }
          window.location.assign(status.url);
        } else {
          window.setTimeout(poll, 700);
        }
      })
      .catch(function () {
        window.setTimeout(poll, 3000);
      });
  }

  window.setTimeout(poll, 500);
})();
