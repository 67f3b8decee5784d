from django.conf import settings
from django.http import HttpRequest

from config.navigation import navigation_for_user


def service(request: HttpRequest) -> dict:
    """Service name, demo flags and role-based navigation for every page.

    ``shows_demo_data`` drives the yellow "Demo data" banner. It is true page by page: False here, and a
    view whose page shows a synthetic figure or comparator group sets it in its own context (which wins
    over this default). ``demo_mode`` says only whether demo users may sign in.
    """
    user = getattr(request, "user", None)
    return {
        "service_name": settings.SERVICE_NAME,
        "demo_mode": settings.DEMO_MODE,
        "shows_demo_data": False,
        "navigation": navigation_for_user(user=user, path=request.path) if user else [],
    }
