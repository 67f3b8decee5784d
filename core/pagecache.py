"""A viewer-keyed cache of whole pages: a signed-in page seen before, while nothing it shows has changed,
costs a cache read (``PAGE_CACHE=0`` turns it off).

``viewer_page_cache`` wraps a read page's view (the council and region scorecards, compare, a measure page).
The first GET by a user renders as usual and keeps the response; the next GET of the same address by the same
user, while nothing it depends on has changed, is answered from the cache without running the view (its
selectors, its permission checks, the base template and the navigation). The middleware still runs on every
request: session, sign-in, idle time-out, ``Cache-Control: private, no-store``, the security headers.

The key holds everything a page varies on:

- the release (``core.release``), the data version and the page version (``core.cache``: every figure,
  and everything that decides what the user may see or which roles, navigation and self-ratings it shows);
- the user's pk, the full path with its query, the host and scheme, the language and demo mode.

What is never kept: anything but a GET or HEAD of a signed-in user, a response that is not a 200 HTML page,
a streamed one, one that sets a cookie of its own, and any request with pending messages (the page shows
them once, so it is rendered normally and not stored). A page's CSRF tokens are not kept either: on store
each token of this request is replaced by a placeholder, and a hit gets a fresh token of its own request
(``get_token``, which also makes ``CsrfViewMiddleware`` set the cookie as a fresh render would).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import (  # type: ignore[attr-defined]  # Django's own, not in its stubs
    _unmask_cipher_token,
    get_token,
)
from django.template.response import SimpleTemplateResponse
from django.utils.translation import get_language

from core.cache import TIMEOUT, versions
from core.localstore import LocalStore
from core.release import current_release

KEY_PREFIX = "scorecard:page"
CSRF_PLACEHOLDER = b"\x00csrf-token\x00"  # no page can contain a NUL (HostileInputMiddleware refuses it)
MASKED_TOKEN = re.compile(rb"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")
MAX_ADDRESS = 400  # characters of path and query
SKIP = "_page_cache_skip"


def page_cache_skip(request: HttpRequest) -> None:
    """Called by a view whose page must not be kept (e.g. a form answered with errors: any text makes one)."""
    setattr(request, SKIP, True)


def _pending_messages(request: HttpRequest) -> bool:
    """Messages waiting to be shown (or added by the view), without marking them shown."""
    storage = getattr(request, "_messages", None)
    return storage is not None and len(storage) > 0


def page_key(request: HttpRequest, *, params: frozenset[str] = frozenset()) -> str | None:
    """The cache key of this request's page, or None when it must be rendered and not kept: not a signed-in
    GET or HEAD, messages pending, a query parameter the page does not read (``params``), or an address too
    long to be one of the pages' own links (so that no one can fill the cache with made-up addresses)."""
    if not settings.PAGE_CACHE:
        return None
    user = getattr(request, "user", None)
    if request.method not in ("GET", "HEAD") or user is None or not user.is_authenticated:
        return None
    if _pending_messages(request) or len(request.get_full_path()) > MAX_ADDRESS:
        return None
    if any(name not in params for name in request.GET):
        return None
    data, page = versions()
    parts = (
        current_release(),
        data,
        page,
        str(user.pk),
        request.scheme or "",
        request.get_host(),
        request.get_full_path(),
        get_language() or "",
        "demo" if settings.DEMO_MODE else "live",
    )
    return f"{KEY_PREFIX}:{hashlib.sha256(chr(31).join(parts).encode()).hexdigest()}"


def _without_tokens(content: bytes, request: HttpRequest) -> bytes | None:
    """``content`` with every CSRF token of this request replaced by the placeholder; None when it cannot be
    made token-free (it must then not be kept)."""
    secret = request.META.get("CSRF_COOKIE")
    if not secret:
        return content  # no token was made or sent: the page holds none
    if CSRF_PLACEHOLDER in content:
        return None

    def replace(match: re.Match[bytes]) -> bytes:
        text = match.group(0).decode("ascii")
        return CSRF_PLACEHOLDER if _unmask_cipher_token(text) == secret else match.group(0)

    cleaned = MASKED_TOKEN.sub(replace, content)
    return None if secret.encode() in cleaned else cleaned


def _keep(key: str, request: HttpRequest, response: HttpResponse) -> None:
    if (
        response.status_code != 200
        or response.streaming
        or response.cookies
        or not response.get("Content-Type", "").startswith("text/html")
        or _pending_messages(request)
        or getattr(request, SKIP, False)
    ):
        return
    if isinstance(response, SimpleTemplateResponse) and not response.is_rendered:
        response.render()
    content = _without_tokens(response.content, request)
    if content is None:
        return
    stored = (list(response.items()), content)
    cache.set(key, stored, timeout=TIMEOUT)
    _PAGES.put(key, stored)


# This process's own copy of the latest pages, by key: it saves fetching ~70 KB from Redis and unpickling it
# on every view. The key holds both versions, read afresh for every request, so a copy is never stale.
_PAGES = LocalStore(64)


def _from_cache(stored: tuple[list[tuple[str, str]], bytes], request: HttpRequest) -> HttpResponse:
    headers, content = stored
    if CSRF_PLACEHOLDER in content:
        content = content.replace(CSRF_PLACEHOLDER, get_token(request).encode())
    response = HttpResponse(content, status=200)
    for name, value in headers:
        response[name] = value
    return response


def viewer_page_cache(*params: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Serve the view's page from the cache for a viewer who has seen it in this data and page version.
    ``params``: the query parameters the page reads (with any other, the page is rendered and not kept)."""
    allowed = frozenset(params)

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            key = page_key(request, params=allowed)
            if key is None:
                return view(request, *args, **kwargs)
            stored = _PAGES.get(key)
            if stored is None:
                stored = cache.get(key)
                if stored is not None:
                    _PAGES.put(key, stored)
            if stored is not None:
                return _from_cache(stored, request)
            response = view(request, *args, **kwargs)
            _keep(key, request, response)
            return response

        return wrapped

    return decorator
