from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class DemoAwareModelBackend(ModelBackend):
    """The standard backend, except that demo users cannot sign in (or stay signed in) outside demo mode."""

    def user_can_authenticate(self, user) -> bool:  # type: ignore[no-untyped-def]
        if getattr(user, "is_demo", False) and not settings.DEMO_MODE:
            return False
        return super().user_can_authenticate(user)
