"""Helpers for browser tests: Debian Chromium driven by Playwright, and axe-core from npm."""

import os
from pathlib import Path

from django.conf import settings

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
]
AXE_JS = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe_violations(page) -> list[dict]:  # type: ignore[no-untyped-def]
    """Run axe-core on the page and return its violations (id, impact, nodes' targets)."""
    # Evaluated over the DevTools protocol rather than added as an inline <script> tag, which the
    # Content-Security-Policy (script-src 'self') would rightly block. Only the violations are gathered in
    # full (`resultTypes`): every rule still runs on every element, but axe no longer builds a selector for
    # each element that passed, which took half its time on a large table.
    page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "targets": [n["target"] for n in v["nodes"]],
        }
        for v in result["violations"]
    ]


def sign_in(page, base_url: str, username: str, password: str) -> None:  # type: ignore[no-untyped-def]
    """Signed in as ``username`` (whose password must be ``password``), on the home page.

    The session is made on the server and handed to the browser as its cookie, as the sign-in form would:
    a page load, not three. The form itself is walked by ``sign_in_with_the_form``."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    user = get_user_model().objects.get(username=username)
    assert user.check_password(password), f"{username}'s password is not {password!r}"
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base_url}])
    page.goto(f"{base_url}/")
    page.wait_for_url(f"{base_url}/")


def sign_in_with_the_form(page, base_url: str, username: str, password: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button:has-text('Sign in')")
    page.wait_for_url(f"{base_url}/")


def click_and_load(page, selector: str) -> None:  # type: ignore[no-untyped-def]
    """Click a link or a form's button, and wait for the page the server answers with to load.

    A bare click returns once the navigation has started, so an assertion straight after it can read the old
    page (or a half-parsed new one) and fail now and then."""
    with page.expect_navigation(wait_until="load"):
        page.click(selector)


# Screenshots are for people to look at (`make screenshots`), not for the tests, which assert on the page
# itself: a full-page screenshot costs up to a second, and `make test` takes none.
SCREENSHOTS = os.environ.get("SCREENSHOTS", "") not in ("", "0")


def screenshot(page, name: str) -> Path | None:  # type: ignore[no-untyped-def]
    """Save a full-page screenshot in test-artifacts/ when SCREENSHOTS=1 (its path), else nothing (None)."""
    if not SCREENSHOTS:
        return None
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


# Layout checks for responsive tests. Each returns a list of human-readable problems (empty when all is well).
_CLIPPED_JS = """(selector) => {
  const problems = [];
  const vw = document.documentElement.clientWidth;
  const name = (el) => el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ').join('.') : '');
  const elements = [...document.querySelectorAll(selector)];
  if (!elements.length) problems.push('nothing matches ' + selector);
  for (const el of elements) {
    const r = el.getBoundingClientRect();
    const what = `${name(el)} "${el.innerText.trim().slice(0, 30)}"`;
    if (r.width < 1 || r.height < 1) { problems.push(`${what} is not shown`); continue; }
    if (r.left < -0.5 || r.right > vw + 0.5) problems.push(`${what} is off screen (${Math.round(r.left)}–${Math.round(r.right)} of ${vw}px)`);
    if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible') problems.push(`${what} is cut by its own overflow`);
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const style = getComputedStyle(a);
      if (style.overflowX === 'visible' && style.overflowY === 'visible') continue;
      const box = a.getBoundingClientRect();
      if (r.left < box.left - 0.5 || r.right > box.right + 0.5) problems.push(`${what} is clipped by ${name(a)}`);
      if (a.scrollWidth > a.clientWidth + 1) problems.push(`${what} sits in a sideways-scrolling ${name(a)}`);
    }
  }
  return problems;
}"""

_SIDEWAYS_JS = """() => {
  const problems = [];
  const root = document.documentElement;
  const vw = root.clientWidth;
  const labelled = (el) => el.getAttribute('role') === 'region' && (el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')) && el.getAttribute('tabindex') === '0';
  const inLabelled = (el) => { for (let a = el.parentElement; a; a = a.parentElement) { if (labelled(a)) return true; } return false; };
  if (root.scrollWidth > vw + 1) problems.push(`the page scrolls sideways: ${root.scrollWidth}px wide at ${vw}px`);
  for (const el of document.body.querySelectorAll('*')) {
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.position === 'fixed') continue;
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > vw + 1 && !inLabelled(el)) problems.push(`${el.tagName.toLowerCase()}.${el.className} reaches ${Math.round(r.right)}px, outside a labelled scroll area`);
    if (['auto', 'scroll'].includes(style.overflowX) && el.scrollWidth > el.clientWidth + 1 && !labelled(el)) problems.push(`${el.tagName.toLowerCase()}.${el.className} scrolls sideways without role=region, aria-label and tabindex=0`);
  }
  return problems.slice(0, 20);
}"""


def clipped(page, selector: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Elements matching ``selector`` that are hidden, off screen, cut by overflow or in a sideways scroll."""
    return page.evaluate(_CLIPPED_JS, selector)


def sideways_scroll(page) -> list[str]:  # type: ignore[no-untyped-def]
    """Ways the page scrolls sideways other than inside a labelled scroll area (role=region + label + tabindex)."""
    return page.evaluate(_SIDEWAYS_JS)


CSP_WATCH_JS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(event.violatedDirective + " blocked " + (event.blockedURI || "inline")
    + " at " + event.sourceFile + ":" + event.lineNumber);
});
"""


def watch_csp(page) -> list[str]:  # type: ignore[no-untyped-def]
    """Record every Content-Security-Policy violation on ``page``: console reports and
    ``securitypolicyviolation`` events. Returns the list that fills as the page is used."""
    violations: list[str] = []

    def on_console(message) -> None:  # type: ignore[no-untyped-def]
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            violations.append(f"console: {message.text}")

    page.on("console", on_console)
    page.add_init_script(CSP_WATCH_JS)
    return violations


def csp_violations_in_page(page) -> list[str]:  # type: ignore[no-untyped-def]
    """Violations reported by the ``securitypolicyviolation`` listener of the page's current document."""
    try:
        return list(page.evaluate("window.__cspViolations || []"))
    except Exception:  # the page was closed or navigated away mid-call
        return []
