from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from config.views import home
from core.views import healthz
from councils.forms import SignInForm
from scorecard.api import urls as scorecard_api_urls
from selfassessment import api_urls as selfassessment_api_urls

admin.site.site_header = "SLI Scorecard administration"
admin.site.site_title = "SLI Scorecard admin"

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=SignInForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    # One ``api`` namespace for the scorecard's and the self-assessment's JSON.
    path("api/", include(([*scorecard_api_urls.urlpatterns, *selfassessment_api_urls.urlpatterns], "api"))),
    path("api/", include("peerchallenge.themes.api_urls")),
    path("", include("scorecard.urls")),
    path("", include("selfassessment.urls")),
    path("", include("councils.urls")),
    path("", include("peerchallenge.urls")),
    path("", include("peerchallenge.themes.urls")),
]
