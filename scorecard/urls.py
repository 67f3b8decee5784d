"""Scorecard pages. Each area of the app keeps its own URL module; this one joins them."""

from django.urls import include, path

app_name = "scorecard"

urlpatterns = [
    path("", include("scorecard.assurance.urls")),
    path("", include("scorecard.imports.urls")),
    path("", include("scorecard.measures.urls")),
    path("", include("scorecard.scorecards.urls")),
]
