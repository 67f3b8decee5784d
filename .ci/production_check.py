"""Probe a running production server (`make serve`) over HTTP, as a browser would.

Usage: production_check.py BASE_URL USERNAME PASSWORD

Checks /healthz, signs in by POSTing the sign-in form with its CSRF token, opens a signed-in page, and
fetches a static file the page links to (served by whitenoise with long, immutable caching). Cookies
are handled by hand because the production cookies are marked Secure and this probe talks plain HTTP
on the loopback interface. Exits non-zero, saying why, on the first failure.
"""

import json
import re
import sys
import urllib.error
import urllib.parse
import urllib.request
from http.cookies import SimpleCookie


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def fetch(url: str, *, data: dict | None = None, cookies: dict | None = None, headers: dict | None = None):  # type: ignore[no-untyped-def]
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers=headers or {})  # noqa: S310 (our own server)
    if cookies:
        request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in cookies.items()))
    try:
        response = OPENER.open(request, timeout=60)
    except urllib.error.HTTPError as error:
        response = error
    jar = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or []:
        jar.load(header)
    return (
        response.status,
        response.headers,
        response.read().decode("utf-8", "replace"),
        {key: morsel.value for key, morsel in jar.items()},
    )


def check(condition: bool, message: str) -> None:
    if not condition:
        print(f"FAILED: {message}", file=sys.stderr)
        sys.exit(1)
    print(f"ok: {message}")


def main(base: str, username: str, password: str) -> None:
    status, headers, body, _ = fetch(f"{base}/healthz")
    check(status == 200 and json.loads(body)["status"] == "ok", f"/healthz answers 200 ok ({status} {body})")

    status, headers, body, cookies = fetch(f"{base}/accounts/login/")
    check(status == 200 and "Sign in" in body, "the sign-in page opens")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    check(token is not None and "csrftoken" in cookies, "the sign-in form carries a CSRF token and cookie")
    status, headers, body, new = fetch(
        f"{base}/accounts/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token.group(1), "next": "/"},
        cookies=cookies,
        headers={"Referer": f"{base}/accounts/login/"},
    )
    cookies.update(new)
    check(status == 302 and "sessionid" in cookies, f"signing in redirects with a session ({status})")
    session_cookie = next(h for h in headers.get_all("Set-Cookie") if h.startswith("sessionid="))
    check("expires" not in session_cookie.lower(), "the session cookie ends with the browser")

    status, headers, body, _ = fetch(f"{base}/councils/", cookies=cookies)
    check(status == 200 and "Signed in as" in body, f"a signed-in page opens ({status})")
    check(headers.get("Cache-Control") == "private, no-store", "signed-in pages are private, no-store")
    check("script-src 'self'" in headers.get("Content-Security-Policy", ""), "pages carry a strict CSP")

    css = re.search(r'href="(/static/build/app\.min\.[0-9a-f]{12}\.css)"', body)
    check(css is not None, "the page links the hashed (manifest) stylesheet")
    status, headers, _, _ = fetch(f"{base}{css.group(1)}")
    cache = headers.get("Cache-Control", "")
    check(status == 200 and "immutable" in cache and "max-age=315360000" in cache, f"whitenoise: {cache}")
    crest = re.search(
        r'url\("?(/static/build/govuk/assets/images/govuk-crest\.[0-9a-f]{12}\.svg)', _css(base, css.group(1))
    )
    check(crest is not None, "the stylesheet points at the hashed govuk-frontend image")
    status, _, _, _ = fetch(f"{base}{crest.group(1)}")
    check(status == 200, "the image the stylesheet references is served")


def _css(base: str, path: str) -> str:
    return fetch(f"{base}{path}")[2]


if __name__ == "__main__":
    main(*sys.argv[1:4])
