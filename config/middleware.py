"""Login is required everywhere except the paths listed here."""

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse

PUBLIC_PREFIXES = ("/healthz", "/accounts/login/", "/static/", "/admin/login/")


class LoginRequiredEverywhereMiddleware:
    """Send anonymous users to the sign-in page for every path but the public ones.

    Views still declare their own permissions; this is the safety net that makes a forgotten
    ``login_required`` fail closed. API views answer 401 JSON instead of a redirect.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated or request.path.startswith(PUBLIC_PREFIXES):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            if request.headers.get("Authorization", "").startswith(("Token ", "Bearer ")):
                # API views check the token themselves.
                return self.get_response(request)
            return JsonResponse({"detail": "Authentication required."}, status=401)
        return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
