import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

# The signed-in user's row, kept in this process by the version of everything that decides what a user may do
# (the scorecard app's page version: every save or delete of a user, group, permission or role changes it, at
# once and again on commit; councils may not import scorecard, so the scorecard app registers it). A signed-in
# request then reads no user row; a password change, deactivation or role change is seen by the next request.
_user_version: Callable[[], str] | None = None
_USERS: OrderedDict[tuple[str, str], bytes] = OrderedDict()
USERS_SIZE = 256
_LOCK = threading.Lock()


def register_user_version(version: Callable[[], str]) -> None:
    """Key the kept user rows by ``version()`` (called from the scorecard app's ``AppConfig.ready``)."""
    global _user_version
    _user_version = version


def users_forget() -> None:
    """Forget the kept user rows (the tests empty the cache between tests)."""
    with _LOCK:
        _USERS.clear()


class DemoAwareModelBackend(ModelBackend):
    """The standard backend, except that demo users cannot sign in (or stay signed in) outside demo mode, and
    the signed-in user's row is read once per user version (see ``register_user_version``)."""

    def user_can_authenticate(self, user) -> bool:  # type: ignore[no-untyped-def]
        if getattr(user, "is_demo", False) and not settings.DEMO_MODE:
            return False
        return super().user_can_authenticate(user)

    def get_user(self, user_id):  # type: ignore[no-untyped-def]
        if _user_version is None:
            return super().get_user(user_id)
        key = (_user_version(), str(user_id))
        with _LOCK:
            kept = _USERS.get(key)
            if kept is not None:
                _USERS.move_to_end(key)
        if kept is not None:
            user = pickle.loads(kept)  # noqa: S301 (bytes this process pickled itself)
        else:
            UserModel = get_user_model()
            try:
                user = UserModel._default_manager.get(pk=user_id)
            except UserModel.DoesNotExist:
                return None
            kept = pickle.dumps(user)  # a snapshot: attributes a request adds later are not kept
            with _LOCK:
                _USERS[key] = kept
                while len(_USERS) > USERS_SIZE:
                    _USERS.popitem(last=False)
        return user if self.user_can_authenticate(user) else None


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
