"""Request safety nets, in the order they run (see ``MIDDLEWARE`` in config/settings.py).

- :class:`SecurityHeadersMiddleware`: Content-Security-Policy and Permissions-Policy on every response,
  the 400s of the next one included.
- :class:`HostileInputMiddleware`: a NUL byte or other control character in the path or the query
  string, or an overlong query string, is a 400 before any view or database sees it; the text of every
  posted form and JSON body is cleaned by one rule (``core.text.text_clean``), and JSON nested too
  deep is a 400.
- :class:`ApiJsonErrorsMiddleware`: every error under ``/api/`` is JSON (``{"detail": ...}``).
- :class:`LoginRequiredEverywhereMiddleware`: login is required everywhere except the public paths; it
  checks the path first, so ``/healthz`` never touches the session or the database through it.
- :class:`IdleTimeoutMiddleware`: a signed-in session ends after ``SESSION_IDLE_TIMEOUT`` seconds
  without a request.
- :class:`PrivateCacheMiddleware`: pages for signed-in users are ``Cache-Control: private, no-store``.
- :class:`DemoDataGuardMiddleware`: with ``DEMO_MODE`` off, the service refuses to serve pages while
  synthetic demo rows are in the database (``manage.py remove_demo_data`` removes them).
"""

import json
import logging
import re
import time
from collections.abc import Callable
from http import HTTPStatus
from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.http.multipartparser import MultiPartParserError
from django.template.loader import render_to_string

from core.demo import demo_rows_present
from core.text import has_unwritable, json_clean, json_too_deep, text_clean

if TYPE_CHECKING:
    from django.http.request import _ImmutableQueryDict  # what django-stubs types request.POST as

logger = logging.getLogger(__name__)

PUBLIC_PREFIXES = ("/healthz", "/accounts/login/", "/static/", "/admin/login/")
API_PREFIX = "/api/"
# C0 controls but tab, newline and carriage return, and DEL. PostgreSQL cannot store NUL in text at all.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MAX_QUERY_STRING = 4096


def is_public(path: str) -> bool:
    return path.startswith(PUBLIC_PREFIXES)


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
KEPT_AS_TYPED = ("password", "csrfmiddlewaretoken")  # never reach a document; a password is compared as typed


def _bad_request(request: HttpRequest, detail: str) -> HttpResponse:
    if request.path_info.startswith(API_PREFIX):
        response: HttpResponse = JsonResponse({"detail": detail}, status=400)
    else:
        response = HttpResponse(render_to_string("400.html", {"detail": detail}), status=400)
    # Answered before XFrameOptionsMiddleware runs: the same framing rule as every other page.
    response["X-Frame-Options"] = "DENY"
    return response


def _cleaned_form(post: QueryDict) -> "_ImmutableQueryDict | None":
    """The posted form with every text cleaned (``core.text``), or None when nothing needed it."""
    items = list(post.lists())
    if not any(has_unwritable(key) or any(has_unwritable(v) for v in values) for key, values in items):
        return None
    cleaned = QueryDict(mutable=True)
    for key, values in items:
        if any(word in key for word in KEPT_AS_TYPED):
            cleaned.setlist(key, values)
        else:
            cleaned.setlist(text_clean(key), [text_clean(value) for value in values])
    cleaned._mutable = False
    return cast("_ImmutableQueryDict", cleaned)


class HostileInputMiddleware:
    """Refuse hostile addresses (400) and clean what is posted, once, before any view sees it.

    - A path or query string holding control characters (NUL included), or too long, is a 400. Django
      decodes ``%00`` in the path and in query values to a real NUL, which PostgreSQL refuses in any
      string literal (a 500 deep inside a query); no page needs a control character in its URL.
    - Every text field of a posted form (and its name) goes through ``core.text.text_clean``: control
      characters and lone surrogates are removed (a vertical tab or form feed becomes a line break), so
      nothing a document cannot hold is ever stored. Passwords are compared as typed.
    - A JSON body under /api/ is checked for depth before it is parsed (deeper than
      ``core.text.MAX_JSON_DEPTH`` is a 400, not a RecursionError), and every string in it, keys
      included, is cleaned by the same rule before the view reads ``request.body``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refused = self._check_address(request)
        if refused is not None:
            return refused
        if request.method in ("POST", "PUT", "PATCH"):
            try:
                refused = self._clean_body(request)
            except (SuspiciousOperation, MultiPartParserError) as error:
                detail = (
                    "The request is too large."
                    if isinstance(error, RequestDataTooBig)
                    else "The request could not be read."
                )
                return _bad_request(request, detail)
            if refused is not None:
                return refused
        return self.get_response(request)

    def _check_address(self, request: HttpRequest) -> HttpResponse | None:
        query = request.META.get("QUERY_STRING", "")
        if len(query) > MAX_QUERY_STRING:
            return _bad_request(request, "The address is too long.")
        if CONTROL_CHARACTERS.search(request.path_info):
            return _bad_request(request, "The address contains a character that is not allowed.")
        try:
            items = list(request.GET.lists())
        except Exception:  # Django refuses too many fields (TooManyFieldsSent) and the like
            return _bad_request(request, "The address has too many parameters.")
        for key, values in items:
            if CONTROL_CHARACTERS.search(key) or any(CONTROL_CHARACTERS.search(value) for value in values):
                return _bad_request(request, "The address contains a character that is not allowed.")
        return None

    def _clean_body(self, request: HttpRequest) -> HttpResponse | None:
        if request.path_info.startswith(API_PREFIX):
            return self._clean_json(request)
        if request.content_type in FORM_TYPES:
            cleaned = _cleaned_form(request.POST)
            if cleaned is not None:
                request.POST = cleaned
        return None

    def _clean_json(self, request: HttpRequest) -> HttpResponse | None:
        """Clean a JSON body in place (the views read ``request.body``, which this reads first, so a form
        posted to the API can still be parsed after it); leave anything that is not JSON to the view."""
        try:
            text = request.body.decode("utf-8")
        except UnicodeDecodeError:
            return None  # the view says it is not JSON
        if json_too_deep(text):
            return _bad_request(request, "The JSON is nested too deeply.")
        try:
            parsed = json.loads(text)
        except ValueError:
            return None
        cleaned = json_clean(parsed)
        if cleaned != parsed:
            request._body = json.dumps(cleaned).encode()
        return None


class ApiJsonErrorsMiddleware:
    """Every 4xx or 5xx answer under /api/ is JSON ``{"detail": ...}``, whichever layer made it.

    The API views answer JSON themselves; this catches what they do not: unknown API routes (404),
    methods a view does not allow (405, ``Allow`` kept), CSRF failures and unhandled errors (500).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path_info.startswith(API_PREFIX) or response.status_code < 400:
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        status = response.status_code
        try:
            phrase = HTTPStatus(status).phrase
        except ValueError:
            phrase = "Error"
        details = {
            401: "Authentication required.",
            403: "You do not have permission to do this.",
            404: "Not found.",
            405: f"Method {request.method} is not allowed here.",
            500: "Internal server error.",
        }
        replacement = JsonResponse({"detail": details.get(status, phrase)}, status=status)
        for header in ("Allow", "WWW-Authenticate", "Retry-After"):
            if header in response:
                replacement[header] = response[header]
        return replacement


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy (from settings) on every response, including the 400s
    that :class:`HostileInputMiddleware` answers before any view (it runs inside this one)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.csp = "; ".join(
            f"{directive} {' '.join(sources)}".strip()
            for directive, sources in settings.CONTENT_SECURITY_POLICY.items()
        )
        self.permissions = ", ".join(
            f"{feature}=({' '.join(allow)})" for feature, allow in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.csp:
            response.headers.setdefault("Content-Security-Policy", self.csp)
        if self.permissions:
            response.headers.setdefault("Permissions-Policy", self.permissions)
        return response


class LoginRequiredEverywhereMiddleware:
    """Send anonymous users to the sign-in page for every path but the public ones.

    Views still declare their own permissions; this is the safety net that makes a forgotten
    ``login_required`` fail closed. API views answer 401 JSON instead of a redirect. Public paths are
    checked first, so the health check never loads the session or the user (it must answer 503 JSON,
    not 500, when the database is down, session cookie or not).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if is_public(request.path) or request.user.is_authenticated:
            return self.get_response(request)
        if request.path.startswith(API_PREFIX):
            if request.headers.get("Authorization", "").startswith(("Token ", "Bearer ")):
                # API views check the token themselves.
                return self.get_response(request)
            return JsonResponse({"detail": "Authentication required."}, status=401)
        if _session_expired(request):
            messages.info(request, idle_message())
        return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)


def _session_expired(request: HttpRequest) -> bool:
    """The browser sent a session cookie whose session no longer exists: it expired, and a stored session
    expires only after ``SESSION_COOKIE_AGE`` without a request (signing out deletes the cookie)."""
    session = getattr(request, "session", None)
    if session is None or not request.COOKIES.get(settings.SESSION_COOKIE_NAME):
        return False
    session.get(IDLE_KEY)  # loads it: a session that is not stored has no key afterwards
    return session.session_key is None


def idle_message() -> str:
    return (
        "You were signed out because you had not used the service for "
        f"{int(settings.SESSION_IDLE_TIMEOUT) // 60} minutes."
    )


IDLE_KEY = "_last_activity"
IDLE_RESOLUTION = 60  # seconds: the activity stamp is rewritten at most once a minute


class IdleTimeoutMiddleware:
    """Sign a user out after ``settings.SESSION_IDLE_TIMEOUT`` seconds without a request.

    The session cookie ends with the browser (``SESSION_EXPIRE_AT_BROWSER_CLOSE``) and the server-side
    session expires ``SESSION_COOKIE_AGE`` after its last save; the activity stamp written here (at most
    once a minute) keeps an active session alive and ends an idle one on its next request.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if is_public(request.path) or not request.user.is_authenticated:
            return self.get_response(request)
        now = int(time.time())
        last = request.session.get(IDLE_KEY)
        timeout = int(settings.SESSION_IDLE_TIMEOUT)
        if isinstance(last, int) and now - last > timeout:
            logout(request)
            if request.path.startswith(API_PREFIX):
                return JsonResponse({"detail": "Your session has ended. Sign in again."}, status=401)
            messages.info(request, idle_message())
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        if not isinstance(last, int) or now - last >= IDLE_RESOLUTION:
            request.session[IDLE_KEY] = now
        return self.get_response(request)


class PrivateCacheMiddleware:
    """``Cache-Control: private, no-store`` on every response to a signed-in user (pages, exports, API).

    Static files are answered earlier by whitenoise, which keeps their long, immutable caching.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if is_public(request.path) or request.path.startswith(settings.STATIC_URL):
            return response  # never load the session for the health check (the database may be down)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "private, no-store"
        return response


class DemoDataGuardMiddleware:
    """With ``DEMO_MODE`` off, refuse (503) every page while synthetic demo rows are in the database.

    Real and synthetic figures must never be mixed or shown without their demo label in production. The
    check is one small query per request until the database is found clean, then never again in this
    process (nothing can add demo rows outside demo mode: ``seed_demo`` refuses). ``/healthz`` reports
    the same state as 503 JSON, so a load balancer keeps such a deployment out of service.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.clean = False

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.DEMO_MODE or self.clean or request.path.startswith(("/healthz", settings.STATIC_URL)):
            return self.get_response(request)
        if not demo_rows_present():
            self.clean = True
            return self.get_response(request)
        logger.error("Demo data is in the database while DEMO_MODE is off: refusing to serve pages.")
        detail = (
            "This service is not available: the database holds demo data while demo mode is off. "
            "An administrator must run 'python manage.py remove_demo_data'."
        )
        if request.path.startswith(API_PREFIX):
            response: HttpResponse = JsonResponse({"detail": detail}, status=503)
        else:
            response = HttpResponse(
                render_to_string("503.html", {"detail": detail}), status=503, content_type="text/html"
            )
        response["Retry-After"] = "300"
        return response


def stamp_activity_on_sign_in(sender, request, user, **kwargs) -> None:  # type: ignore[no-untyped-def]
    """Start the idle clock at sign-in (connected in core.apps)."""
    session = getattr(request, "session", None)
    if session is not None:
        session[IDLE_KEY] = int(time.time())
