from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class DemoAwareModelBackend(ModelBackend):
    """The standard backend, except that demo users cannot sign in (or stay signed in) outside demo mode.

    The signed-in user's row is read afresh for every request (one query by primary key), never kept in a
    process: a deactivation, a password change or a role change, however it is made (a form, a set-based
    ``update()``, SQL), is seen by the user's next request.
    """

    def user_can_authenticate(self, user) -> bool:  # type: ignore[no-untyped-def]
        if getattr(user, "is_demo", False) and not settings.DEMO_MODE:
            return False
        return super().user_can_authenticate(user)


class SignInThrottleBackend(AxesStandaloneBackend):
    """django-axes' lockout check (per account and per address; see settings, PRODUCTION HARDENING).

    Every sign-in form (the site's and the admin's) passes the request, so throttling applies to them.
    A programmatic ``authenticate()`` without a request (the test client's ``login``, the shell) has no
    address to throttle and is left to the other backends.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):  # type: ignore[no-untyped-def]
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_ip_address(request) -> str:  # type: ignore[no-untyped-def]
    """The client's address for throttling: REMOTE_ADDR, or the address the trusted proxies recorded.

    With ``TRUSTED_PROXY_COUNT = N`` the N-th address from the right of X-Forwarded-For is taken (the
    one our outermost proxy saw); anything further left was written by the client and is not trusted.
    """
    count = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0))
    if count > 0:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR", "")
