from django.conf import settings
from django.http import HttpRequest

from config.navigation import navigation_for_user


def service(request: HttpRequest) -> dict:
    """Service name, demo flag and role-based navigation for every page."""
    user = getattr(request, "user", None)
    return {
        "service_name": settings.SERVICE_NAME,
        "demo_mode": settings.DEMO_MODE,
        "navigation": navigation_for_user(user=user, path=request.path) if user else [],
    }
