// Marks the page as having JavaScript (GOV.UK Frontend's js-enabled and govuk-frontend-supported
// classes). Loaded as a file, not inline, so the Content-Security-Policy needs no 'unsafe-inline'.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
