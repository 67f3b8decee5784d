// Keeps what is typed into the self-assessment form in sessionStorage, so nothing is lost when a session
// runs out: the save is redirected to sign-in, and after signing in the form is filled in again.
// A stored draft is put back only into a fresh form of the same version (nobody has saved since).
(function () {
  "use strict";
  var form = document.querySelector("form[data-draft-key]");
  if (!form || !window.sessionStorage || !window.JSON) return;
  var key = "sli-self-assessment:" + form.getAttribute("data-draft-key");
  var version = form.getAttribute("data-version");
  var skip = { csrfmiddlewaretoken: true, version: true, action: true };

  function collect() {
    var fields = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || skip[el.name]) return;
      if (!fields[el.name]) fields[el.name] = [];
      if (el.type === "radio" || el.type === "checkbox") {
        if (el.checked) fields[el.name].push(el.value);
      } else {
        fields[el.name].push(el.value);
      }
    });
    return fields;
  }

  function store() {
    try {
      window.sessionStorage.setItem(key, JSON.stringify({ version: version, fields: collect() }));
    } catch (e) {
      // Storage full or disabled: the form still works, only without this safety net.
    }
  }

  function restore(fields) {
    var changed = 0;
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || skip[el.name] || !fields.hasOwnProperty(el.name)) return;
      var values = fields[el.name];
      if (el.type === "radio" || el.type === "checkbox") {
        var want = values.indexOf(el.value) !== -1;
        if (el.checked !== want) { el.checked = want; changed += 1; }
      } else if (el.value !== values[0] && typeof values[0] === "string") {
        el.value = values[0];
        el.dispatchEvent(new Event("input", { bubbles: true }));  // refresh the character count
        changed += 1;
      }
    });
    return changed;
  }

  var saved = null;
  try { saved = JSON.parse(window.sessionStorage.getItem(key) || "null"); } catch (e) { saved = null; }
  if (form.getAttribute("data-fresh") === "true" && saved && saved.version === version && saved.fields) {
    if (restore(saved.fields) > 0) {
      var notice = document.getElementById("draft-restored");
      if (notice) notice.hidden = false;
    }
  }
  form.addEventListener("input", store);
  form.addEventListener("change", store);
  form.addEventListener("submit", store);
})();
