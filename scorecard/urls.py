"""Scorecard pages. Each area of the app keeps its own URL module; this one joins them."""

from django.urls import include, path

app_name = "scorecard"

urlpatterns = [
    path("", include("scorecard.urls_imports")),
    path("", include("scorecard.urls_measures")),
    path("", include("scorecard.urls_scorecards")),
    path("", include("scorecard.selfassessment.urls")),
]
