// The live plenary page: each theme is saved through the JSON API as soon as it is entered. A theme that
// cannot be sent (the connection dropped) is kept in localStorage, shown as "Not saved yet", and sent
// again when the browser comes back online, when "Try again now" is pressed, or when the page is opened
// again. Each theme carries a client_id, so a retried save never makes a duplicate (the server answers
// 200 with the theme already saved). Themes logged by the others in the room appear every 20 seconds.
// Without JavaScript the form is an ordinary POST form.
//
// Unsaved themes belong to the person who typed them: they are kept under a key with that user's id, removed
// when anyone signs out (this file is loaded on every signed-in page for that), and a page opened by another
// user drops whatever an earlier user left in this browser (after an idle sign-out, say) instead of sending it.
(function () {
  "use strict";
  var PREFIX = "sli-plenary-pending:";

  function forget(keep) {
    try {
      for (var i = window.localStorage.length - 1; i >= 0; i--) {
        var key = window.localStorage.key(i);
        if (key && key.indexOf(PREFIX) === 0 && !(keep && key.indexOf(keep) === 0)) {
          window.localStorage.removeItem(key);
        }
      }
    } catch (e) {
      // Storage disabled: nothing was kept.
    }
  }

  Array.prototype.forEach.call(document.querySelectorAll("form.app-sign-out"), function (signOut) {
    signOut.addEventListener("submit", function () { forget(null); });
  });

  var form = document.getElementById("theme-form");
  if (!form || !window.fetch || !window.JSON) return;
  var api = form.getAttribute("data-api");
  var userKey = PREFIX + form.getAttribute("data-user") + ":";
  var storeKey = userKey + form.getAttribute("data-summit");
  forget(userKey);
  var pendingBox = document.getElementById("pending-box");
  var pendingList = document.getElementById("pending");
  var pendingStatus = document.getElementById("pending-status");
  var savedList = document.getElementById("themes");
  var count = document.getElementById("theme-count");
  var retry = document.getElementById("retry");
  var sending = false;

  function newId() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID().replace(/-/g, "");
    return Date.now().toString(36) + Math.random().toString(36).slice(2, 12);
  }

  function load() {
    try {
      return JSON.parse(window.localStorage.getItem(storeKey) || "[]");
    } catch (e) {
      return [];
    }
  }

  function store(items) {
    try {
      window.localStorage.setItem(storeKey, JSON.stringify(items));
    } catch (e) {
      // Storage full or disabled: the pending list stays in the page only.
    }
  }

  var pending = load();

  function render(message) {
    pendingList.textContent = "";
    pending.forEach(function (item) {
      var li = document.createElement("li");
      li.setAttribute("data-client-id", item.theme.client_id);
      var tag = document.createElement("strong");
      tag.className = "govuk-tag govuk-tag--yellow";
      tag.textContent = item.error ? "Not saved" : "Not saved yet";
      li.appendChild(tag);
      li.appendChild(document.createTextNode(" " + item.theme.title + (item.error ? " – " + item.error : "")));
      if (item.error) {
        // The server refused it (not valid): it will not be sent again as it is, so offer to correct it.
        var edit = document.createElement("button");
        edit.type = "button";
        edit.className = "govuk-button govuk-button--secondary govuk-!-margin-bottom-0 govuk-!-margin-left-2";
        edit.setAttribute("data-module", "govuk-button");
        edit.textContent = "Correct it in the form";
        edit.addEventListener("click", function () { putBack(item); });
        li.appendChild(document.createTextNode(" "));
        li.appendChild(edit);
      }
      pendingList.appendChild(li);
    });
    pendingBox.hidden = pending.length === 0;
    if (message !== undefined) pendingStatus.textContent = message;
  }

  function addSaved(theme, mine) {
    if (savedList.querySelector('[data-theme="' + theme.id + '"]')) return;
    var li = document.createElement("li");
    li.setAttribute("data-theme", theme.id);
    var link = document.createElement("a");
    link.className = "govuk-link";
    link.href = theme.url;
    link.textContent = theme.title;
    li.appendChild(link);
    var small = document.createElement("span");
    small.className = "govuk-body-s";
    small.textContent = " (" + theme.reach + " council" + (theme.reach === 1 ? "" : "s") + ") ";
    li.appendChild(small);
    if (mine) {
      var tag = document.createElement("strong");
      tag.className = "govuk-tag govuk-tag--green";
      tag.textContent = "Saved";
      li.appendChild(tag);
    }
    savedList.appendChild(li);
    count.textContent = String(savedList.children.length);
  }

  function csrf() {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function send(item) {
    return window
      .fetch(api, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf(), Accept: "application/json" },
        body: JSON.stringify(item.theme),
      })
      .then(function (response) {
        return response.json().then(function (body) {
          return { status: response.status, body: body };
        });
      });
  }

  function flush() {
    if (sending) return;
    var queue = pending.filter(function (item) { return !item.error; });
    if (!queue.length) {
      render();
      return;
    }
    sending = true;
    render("Sending…");
    var item = queue[0];
    send(item)
      .then(function (result) {
        sending = false;
        if (result.status === 200 || result.status === 201) {
          pending = pending.filter(function (p) { return p !== item; });
          store(pending);
          addSaved(result.body, true);
          render("Saved: " + result.body.title);
          flush();
        } else if (result.status === 400) {
          var errors = result.body.errors || {};
          var first = Object.keys(errors).map(function (k) { return errors[k].join(" "); })[0];
          item.error = first || result.body.detail || "Not valid";
          store(pending);
          render(item.error);
        } else {
          render("Not saved yet (" + (result.body.detail || result.status) + "). It will be sent again.");
        }
      })
      .catch(function () {
        sending = false;
        render("Not saved yet: no connection. It will be sent when the connection returns.");
      });
  }

  // An item the server refused goes back into the form, with its client id (so a save cannot duplicate it),
  // and leaves the "not saved" list.
  function putBack(item) {
    var theme = item.theme;
    form.elements.title.value = theme.title;
    form.elements.description.value = theme.description || "";
    form.elements.note.value = theme.note || "";
    ["councils", "domains", "measures", "sessions"].forEach(function (name) {
      var chosen = (theme[name] || []).map(String);
      Array.prototype.forEach.call(form.elements, function (el) {
        if (el.name !== name) return;
        if (el.type === "checkbox") el.checked = chosen.indexOf(el.value) !== -1;
        else if (el.tagName === "SELECT") {
          Array.prototype.forEach.call(el.options, function (o) { o.selected = chosen.indexOf(o.value) !== -1; });
        }
      });
    });
    form.elements.client_id.value = theme.client_id;
    pending = pending.filter(function (p) { return p !== item; });
    store(pending);
    render("Back in the form: " + theme.title + ". Correct it and save it again.");
    form.elements.title.focus();
  }

  function values(name) {
    return Array.prototype.filter
      .call(form.elements, function (el) {
        return el.name === name && (el.type === "checkbox" ? el.checked : true);
      })
      .reduce(function (out, el) {
        if (el.tagName === "SELECT") {
          Array.prototype.forEach.call(el.selectedOptions, function (o) { out.push(o.value); });
        } else {
          out.push(el.value);
        }
        return out;
      }, []);
  }

  form.addEventListener("submit", function (event) {
    var title = form.elements.title.value.trim();
    if (!title) return; // let the server show its error summary
    event.preventDefault();
    var theme = {
      title: title,
      description: form.elements.description.value,
      note: form.elements.note.value,
      councils: values("councils"),
      domains: values("domains"),
      measures: values("measures"),
      sessions: values("sessions"),
      client_id: form.elements.client_id.value || newId(),
    };
    pending.push({ theme: theme });
    store(pending);
    form.reset();
    form.elements.client_id.value = newId();
    render("Saving " + title + "…");
    form.elements.title.focus();
    flush();
  });

  retry.addEventListener("click", function () {
    pending.forEach(function (item) { delete item.error; });
    flush();
  });
  function refresh() {
    if (sending || !navigator.onLine) return;
    window
      .fetch(api, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) {
        if (body && body.themes) body.themes.forEach(function (theme) { addSaved(theme, false); });
      })
      .catch(function () { /* offline: the next tick tries again */ });
  }

  window.addEventListener("online", flush);
  window.setInterval(refresh, 20000);
  form.elements.client_id.value = newId();
  render();
  flush();
})();
